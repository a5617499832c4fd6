// How the stateful app recognises a user: express-session's signed cookie names a session
// that lives in this process's MemoryStore. Another instance has never seen that session.
import type { User } from "@cart/domain";
import { notLoggedIn, readCookie, unauthorized, type Identity } from "@cart/http-kit";
import type { Request } from "express";
import session from "express-session";
import { promisify } from "node:util";
import type { AppConfig } from "./config";

declare module "express-session" {
  interface SessionData {
    userId: string;
    /** Login + the session's lifetime, as its cookie (ms since the epoch). */
    expiresAt: number;
  }
}

export const SESSION_COOKIE = "sid";

export function createIdentity(config: AppConfig, store: session.Store): Identity {
  const middleware = session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: "lax", maxAge: config.sessionTtlSeconds * 1000 },
  });

  return {
    middleware: [middleware],

    async signIn(req: Request, _res, user: User) {
      // A fresh session id at login, so an id planted before login is worth nothing (fixation).
      await promisify(req.session.regenerate.bind(req.session))();
      req.session.userId = user.id;
      req.session.expiresAt = Date.now() + config.sessionTtlSeconds * 1000;
      await promisify(req.session.save.bind(req.session))();
      return {};
    },

    async signOut(req, res) {
      await promisify(req.session.destroy.bind(req.session))();
      res.clearCookie(SESSION_COOKIE);
    },

    async recognise(req) {
      const { userId, expiresAt } = req.session;
      if (userId && expiresAt !== undefined) return { userId, sessionId: req.sessionID, expiresAt };
      if (readCookie(req, SESSION_COOKIE)) {
        throw unauthorized(
          "UNKNOWN_SESSION",
          `${config.instanceId} does not know this session: it lives only in the memory of the server that created it (or it has ended)`,
        );
      }
      throw notLoggedIn();
    },
  };
}
