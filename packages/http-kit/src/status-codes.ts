// Stable error codes for the 4xx statuses that layers below our routes decide (Express's router,
// the body parser, Node's HTTP parser), so that every answer carries a code a client can test.
import { STATUS_CODES } from "node:http";
import type { ErrorCode } from "./error-codes";

// Where the contract already names a status, the same code; the rest follow the status text.
const NAMED: Record<number, ErrorCode> = {
  408: "REQUEST_TIMEOUT",
  413: "BODY_TOO_LARGE",
  414: "URL_TOO_LONG",
  415: "UNSUPPORTED_MEDIA_TYPE",
  431: "HEADERS_TOO_LARGE",
};

/** The code and message for a 4xx status: "Method Not Allowed" → METHOD_NOT_ALLOWED. */
export function clientErrorCode(status: number, message?: string): [code: string, message: string] {
  const text = STATUS_CODES[status] ?? "Bad Request";
  const code = NAMED[status] ?? text.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  return [code, message ?? text];
}
