// Request bodies: JSON only, at most 10 kB. A body in any other media type is refused with 415
// rather than silently ignored; requests without a body (logout, checkout) need no content type.
import express, { type RequestHandler } from "express";
import { HttpError } from "./http-error";

export const BODY_LIMIT = "10kb";

const requireJsonContentType: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.is("application/json")) {
    return next(new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json"));
  }
  next();
};

export const jsonBody: RequestHandler[] = [requireJsonContentType, express.json({ limit: BODY_LIMIT, strict: true })];
