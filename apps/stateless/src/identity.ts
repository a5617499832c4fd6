// How the stateless app recognises a user: a signed JWT (HS256, short expiry) names a session
// record in Redis. Any instance can verify the token and find the record; logout deletes the
// record, so the token is refused everywhere even before it expires.
import type { User } from "@cart/domain";
import { notLoggedIn, readBearerToken, readCookie, unauthorized, type Identity } from "@cart/http-kit";
import session from "express-session";
import jwt from "jsonwebtoken";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { storeCall } from "@cart/redis-kit";
import type { AppConfig, JwtKeys } from "./config";

declare module "express-session" {
  interface SessionData {
    userId: string;
  }
}

export const TOKEN_COOKIE = "token";

export function createIdentity(config: AppConfig, store: session.Store): Identity {
  const readSession = promisify(store.get.bind(store));
  const writeSession = promisify(store.set.bind(store));
  const endSession = promisify(store.destroy.bind(store));
  const ttlMs = config.sessionTtlSeconds * 1000;

  return {
    middleware: [],

    async signIn(_req, res, user: User) {
      const sessionId = randomUUID();
      // connect-redis derives the record's Redis TTL from the cookie's expiry.
      const cookie = { originalMaxAge: ttlMs, expires: new Date(Date.now() + ttlMs) };
      await storeCall(() => writeSession(sessionId, { cookie, userId: user.id }));
      const { signingKeyId } = config.jwtKeys;
      const token = jwt.sign({ sid: sessionId }, config.jwtKeys.secrets.get(signingKeyId)!, {
        algorithm: "HS256",
        keyid: signingKeyId,
        subject: user.id,
        expiresIn: config.sessionTtlSeconds,
      });
      res.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: "lax", maxAge: ttlMs });
      return { token };
    },

    async signOut(_req, res, principal) {
      await storeCall(() => endSession(principal.sessionId));
      res.clearCookie(TOKEN_COOKIE);
    },

    async recognise(req) {
      const token = readBearerToken(req) ?? readCookie(req, TOKEN_COOKIE);
      if (!token) throw notLoggedIn();
      const { sub, sid } = verifyToken(token, config.jwtKeys);
      const record = await storeCall(() => readSession(sid));
      if (record?.userId !== sub) {
        throw unauthorized("SESSION_ENDED", "This token's session has ended (logged out or expired); log in again");
      }
      return { userId: sub, sessionId: sid };
    },
  };
}

function verifyToken(token: string, keys: JwtKeys): { sub: string; sid: string } {
  // The key is chosen by the token's `kid`, among the keys this server was given.
  const kid = jwt.decode(token, { complete: true })?.header.kid;
  const secret = kid === undefined ? undefined : keys.secrets.get(kid);
  if (secret === undefined) throw unauthorized("INVALID_TOKEN", "The token is not valid");
  let claims: string | jwt.JwtPayload;
  try {
    // The algorithm is pinned: "none" and every other algorithm are refused.
    claims = jwt.verify(token, secret, { algorithms: ["HS256"] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError)
      throw unauthorized("TOKEN_EXPIRED", "The token has expired; log in again");
    throw unauthorized("INVALID_TOKEN", "The token is not valid");
  }
  if (typeof claims === "string" || typeof claims.sub !== "string" || typeof claims.sid !== "string") {
    throw unauthorized("INVALID_TOKEN", "The token is not valid");
  }
  return { sub: claims.sub, sid: claims.sid };
}
