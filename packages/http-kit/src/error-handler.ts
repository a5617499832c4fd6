// One place that turns any error into `{ error: { code, message } }` with the right status:
// never an HTML page, never a stack trace.
import { DomainError, type DomainErrorCode } from "@cart/domain";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { HttpError } from "./http-error";

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  UNKNOWN_SKU: 400,
  INVALID_QUANTITY: 400,
  BAD_CREDENTIALS: 401,
  NOT_IN_CART: 404,
  QUANTITY_LIMIT: 409,
  CART_FULL: 409,
  EMPTY_CART: 409,
  STORE_UNAVAILABLE: 503,
};

// Errors raised by Express's body parser carry a `type`.
const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  "entity.parse.failed": [400, "MALFORMED_JSON", "The request body is not valid JSON"],
  "entity.too.large": [413, "BODY_TOO_LARGE", "The request body is larger than 10 kB"],
  "encoding.unsupported": [415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported content encoding"],
  "charset.unsupported": [415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported charset; send UTF-8 JSON"],
  "request.aborted": [400, "REQUEST_ABORTED", "The request was aborted"],
};

function describe(error: unknown): [number, string, string] {
  if (error instanceof HttpError) return [error.status, error.code, error.message];
  if (error instanceof DomainError) return [DOMAIN_STATUS[error.code], error.code, error.message];
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type === "string" && BODY_PARSER_ERRORS[type]) return BODY_PARSER_ERRORS[type];
  return [500, "INTERNAL", "Something went wrong on our side"];
}

export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const [status, code, message] = describe(error);
  // 503s are outages the store adapter already reports; a 500 is a bug worth its stack trace.
  if (status === 500) (req.log ?? console).error({ err: error }, "unexpected error");
  res.status(status).json({ error: { code, message } });
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, "NOT_FOUND", `No route for ${req.method} ${req.path}`));
};
