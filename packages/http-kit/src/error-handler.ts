// One place that turns any error into `{ error: { code, message } }` with the right status:
// never an HTML page, never a stack trace. A client's mistake is never a 500: besides our own
// errors and the body parser's, any 4xx that an Express layer has already decided is honoured.
import { DomainError } from "@cart/domain";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ERROR_CODES, type ErrorCode } from "./error-codes";
import { HttpError } from "./http-error";
import { clientErrorCode } from "./status-codes";

// Errors raised by Express's body parser carry a `type`.
const BODY_PARSER_ERRORS: Record<string, [number, ErrorCode, string]> = {
  "entity.parse.failed": [400, "MALFORMED_JSON", "The request body is not valid JSON"],
  "entity.too.large": [413, "BODY_TOO_LARGE", "The request body is larger than 10 kB"],
  "encoding.unsupported": [415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported content encoding"],
  "charset.unsupported": [415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported charset; send UTF-8 JSON"],
  "request.aborted": [400, "REQUEST_ABORTED", "The request was aborted"],
};

interface ForeignError {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly code?: unknown;
  readonly expose?: unknown;
  readonly message?: unknown;
}

function describe(error: unknown): [number, string, string] {
  if (error instanceof HttpError) return [error.status, error.code, error.message];
  if (error instanceof DomainError) return [ERROR_CODES[error.code].status[0], error.code, error.message];
  const foreign = (typeof error === "object" && error !== null ? error : {}) as ForeignError;
  const bodyParserError = typeof foreign.type === "string" ? BODY_PARSER_ERRORS[foreign.type] : undefined;
  if (bodyParserError) return bodyParserError;
  // Express's router cannot decode a route parameter such as `/cart/items/%E0%A4%A`.
  if (error instanceof URIError) {
    return [400, "MALFORMED_URL", "The URL holds a percent-escape (%) that is not valid UTF-8"];
  }
  // The body parser inflating a body that does not match its Content-Encoding (zlib's Z_* codes).
  if (typeof foreign.code === "string" && foreign.code.startsWith("Z_")) {
    return [400, "MALFORMED_BODY", "The request body does not match its Content-Encoding"];
  }
  const status = foreign.status ?? foreign.statusCode;
  if (typeof status === "number" && Number.isInteger(status) && status >= 400 && status < 500) {
    // http-errors' `expose` marks a message written for the client; any other stays private.
    const message = foreign.expose === true && typeof foreign.message === "string" ? foreign.message : undefined;
    return [status, ...clientErrorCode(status, message)];
  }
  return [500, "INTERNAL", "Something went wrong on our side"];
}

export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const [status, code, message] = describe(error);
  // 4xx are the client's mistakes (the request log has them); 503s are outages the store adapter
  // already reports; a 500 is a bug worth its stack trace.
  if (status === 500) (req.log ?? console).error({ err: error, req: { id: req.id } }, "unexpected error");
  res.status(status).json({ error: { code, message } });
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, "NOT_FOUND", `No route for ${req.method} ${req.path}`));
};
