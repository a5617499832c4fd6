// Where a client's credentials travel: a cookie, or an `Authorization: Bearer` header.
import { parseCookie } from "cookie";
import type { Request } from "express";

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header)[name] : undefined;
}

export function readBearerToken(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
}

/** A bearer token from `Authorization` (non-browser clients), else from the cookie `cookieName`. */
export function readToken(req: Request, cookieName: string): string | undefined {
  return readBearerToken(req) ?? readCookie(req, cookieName);
}
