// Login attempts are limited per username and per client: after too many failures in a window,
// every attempt is refused (429 TOO_MANY_ATTEMPTS, Retry-After) until the window ends. Where the
// counters live is the app's choice, and the lesson: in one process's memory, each instance
// allows its own quota; in Redis, the limit holds across the cluster.
import type { Request, RequestHandler, Response } from "express";
import { rateLimit, type Store } from "express-rate-limit";
import { HttpError } from "./http-error";

export interface LoginLimitConfig {
  /** Failed logins per username per window. */
  readonly loginMaxFailures: number;
  /** Failed logins per client address per window (an office behind one address gets more). */
  readonly loginMaxFailuresPerClient: number;
  readonly loginWindowSeconds: number;
}

/** A counter store for one limiter (each limiter needs its own), named "user" or "client". */
export type RateLimitStoreFactory = (name: string) => Store;

export function loginLimits(config: LoginLimitConfig, newStore: RateLimitStoreFactory): RequestHandler[] {
  const common = {
    windowMs: config.loginWindowSeconds * 1000,
    // Only wrong passwords count: a user who types the password right is never slowed down, and
    // neither is one whose login met a store outage (503) or a malformed request (400).
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req: Request, res: Response) => res.statusCode !== 401,
    standardHeaders: "draft-8" as const,
    legacyHeaders: false,
    // Made once, at start-up. The check that a limiter is not made inside a handler reads a stack
    // trace, and mapping one to our files costs every start a source map's parse.
    validate: { creationStack: false },
  };
  const refuse = (what: string): RequestHandler => {
    return (_req, res, next) => {
      const seconds = res.getHeader("retry-after");
      next(new HttpError(429, "TOO_MANY_ATTEMPTS", `Too many failed logins ${what}; try again in ${seconds} s`));
    };
  };
  return [
    rateLimit({
      ...common,
      limit: config.loginMaxFailuresPerClient,
      identifier: "login-client",
      store: newStore("client"),
      handler: refuse("from this address"),
    }),
    rateLimit({
      ...common,
      limit: config.loginMaxFailures,
      identifier: "login-user",
      store: newStore("user"),
      keyGenerator: (req) => {
        const username: unknown = req.body?.username;
        return typeof username === "string" ? username.toLowerCase().slice(0, 64) : "";
      },
      handler: refuse("for this user"),
    }),
  ];
}
