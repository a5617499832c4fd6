import type { RequestHandler, Response } from "express";
import type { Identity, Principal } from "./identity";

/** Recognises the caller (or answers 401) and keeps who it is for the route handler. */
export function requireUser(identity: Identity): RequestHandler {
  return async (req, res, next) => {
    res.locals.principal = await identity.recognise(req);
    next();
  };
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
