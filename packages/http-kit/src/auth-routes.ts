import { findUser, loginInput, verifyCredentials, type CartRepository } from "@cart/domain";
import { Router, type RequestHandler } from "express";
import type { Identity } from "./identity";
import { parseInput } from "./parse-input";
import { principalOf, requireUser } from "./require-user";

export function authRoutes(
  identity: Identity,
  carts: CartRepository,
  limits: RequestHandler[],
  /** What else ends with the session (its chat sockets). */
  sessionEnded: (sessionId: string) => Promise<void>,
): Router {
  const router = Router();
  const signedIn = requireUser(identity);

  router.post("/auth/login", ...limits, async (req, res) => {
    const { username, password } = parseInput(loginInput, req.body);
    const user = await verifyCredentials(username, password);
    const { token } = await identity.signIn(req, res, user);
    res.json(token === undefined ? { user } : { user, token });
  });

  // The cart belongs to the session: logging out discards it (orders stay with the user). The
  // cart, the session and its sockets end at once, none waiting for another: where they live in a
  // store, that is one round trip instead of three. Answered once all three are done, and with the
  // first error if one failed (the others done all the same: a retry finds the user logged out).
  router.post("/auth/logout", signedIn, async (req, res) => {
    const principal = principalOf(res);
    const ended = await Promise.allSettled([
      carts.discard(principal.sessionId),
      identity.signOut(req, res, principal),
      sessionEnded(principal.sessionId),
    ]);
    const failed = ended.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    res.status(204).end();
  });

  router.get("/me", signedIn, (_req, res) => {
    res.json({ user: findUser(principalOf(res).userId) });
  });

  return router;
}
