// The port for "how is the user recognised": the one thing, besides where state lives,
// in which the two apps differ. Stateful: a session cookie naming a session in this process's
// memory. Stateless: a signed JWT naming a session record in Redis.
import type { User } from "@cart/domain";
import type { Request, RequestHandler, Response } from "express";

/** Who is calling: the user, and the session their cart belongs to. */
export interface Principal {
  readonly userId: string;
  readonly sessionId: string;
  /** When the session ends by itself (ms since the epoch): a chat socket is closed then. */
  readonly expiresAt: number;
}

export interface Identity {
  /** Runs before the routes (e.g. express-session's middleware); may be empty. */
  readonly middleware: RequestHandler[];
  /** Starts a new session for `user` (setting cookies on `res`); returns a token if the app issues one. */
  signIn(req: Request, res: Response, user: User): Promise<{ token?: string }>;
  /** Ends the caller's session so that it is refused by every instance. */
  signOut(req: Request, res: Response, principal: Principal): Promise<void>;
  /** Resolves the caller, or throws a 401 HttpError saying why not. */
  recognise(req: Request): Promise<Principal>;
}
