// How the stateless app recognises a user: a signed JWT (HS256, short expiry) names a session
// record in Redis. Any instance can verify the token and find the record; logout deletes the
// record, so the token is refused everywhere even before it expires.
import type { User } from "@cart/domain";
import { notLoggedIn, readToken, sessionEnded, type Identity } from "@cart/http-kit";
import { signToken, verifyToken } from "@cart/http-kit/jwt-tokens";
import type { RedisSessionStore } from "@cart/redis-kit";
import type { SessionData } from "express-session";
import { randomUUID } from "node:crypto";
import type { AppConfig } from "./config";

declare module "express-session" {
  interface SessionData {
    userId: string;
  }
}

export const TOKEN_COOKIE = "token";

/**
 * `written`: resolves once a login's or a logout's record is safe from a failover of Redis (waits
 * for replicas if REDIS_WAIT_REPLICAS says so).
 */
export function createIdentity(config: AppConfig, store: RedisSessionStore, written: () => Promise<void>): Identity {
  const ttlMs = config.sessionTtlSeconds * 1000;

  return {
    middleware: [],

    async signIn(_req, res, user: User) {
      const sessionId = randomUUID();
      // The record expires in Redis with the token (the store's `ttl`); no cookie of its own.
      await store.set(sessionId, { userId: user.id } as SessionData);
      await written();
      const token = signToken(config.jwtKeys, { sub: user.id, sid: sessionId }, config.sessionTtlSeconds);
      res.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: "lax", maxAge: ttlMs });
      return { token };
    },

    async signOut(_req, res, principal) {
      await store.destroy(principal.sessionId);
      await written();
      res.clearCookie(TOKEN_COOKIE);
    },

    async recognise(req) {
      const token = readToken(req, TOKEN_COOKIE);
      if (!token) throw notLoggedIn();
      const { sub, sid, expiresAt } = verifyToken(config.jwtKeys, token);
      const record = (await store.get(sid)) as SessionData | null;
      if (record?.userId !== sub) throw sessionEnded();
      return { userId: sub, sessionId: sid, expiresAt };
    },
  };
}
