// Cross-site request forgery: a page on another site can make a browser send a state-changing
// request with the user's cookie. SameSite=Lax cookies already stop most of it; on top of that,
// an unsafe request whose Origin (or, without one, Referer) names another site is refused.
// A request that carries no cookie (a Bearer token, curl, a test) has no ambient authority to
// abuse, and passes; so does a browser request from the site itself.
import type { Request, RequestHandler } from "express";
import { HttpError } from "./http-error";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const sameOriginOnly: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method) || !req.headers.cookie) return next();
  const source = originOf(req.headers.origin) ?? originOf(req.headers.referer);
  if (source === undefined || source === ownOrigin(req)) return next();
  next(new HttpError(403, "CROSS_SITE_REQUEST", `Requests from ${source} may not change anything here`));
};

/**
 * For a WebSocket upgrade, which is a GET: a browser always sends its page's Origin with one, and
 * a page on another site must not open a socket with the user's cookie (cross-site WebSocket
 * hijacking). A client that sends no Origin is not a browser, and passes.
 */
export const sameOriginSocket: RequestHandler = (req, _res, next) => {
  const source = originOf(req.headers.origin);
  if (source === undefined || source === ownOrigin(req)) return next();
  next(new HttpError(403, "CROSS_SITE_REQUEST", `Pages from ${source} may not open a chat socket here`));
};

/** The origin a header names; anything unparseable ("null", say) stays as is and matches no site. */
function originOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return URL.canParse(header) ? new URL(header).origin : header;
}

/** This site as the browser sees it: the Host it asked for (a balancer keeps it). */
function ownOrigin(req: Request): string | undefined {
  const host = req.headers.host;
  return host ? `${req.protocol}://${host}` : undefined;
}
