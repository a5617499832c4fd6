// The one HTTP server both apps (and the built-in balancer) listen with. Some requests never
// reach a request handler: Node's HTTP parser refuses them (headers over its size limit, a
// request line that is not HTTP), or Node answers them itself (HTTP/1.1 without a Host, an
// Expect other than 100-continue). Node's own answers are bare statuses with no body; ours are
// the contract's: JSON with a stable code, and X-Served-By.
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { ErrorCode } from "./error-codes";

// Node's parser errors, by the status Node itself would answer.
const PARSER_REFUSALS: Record<string, [number, ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: [431, "HEADERS_TOO_LARGE", "The request's headers are larger than this server accepts"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [
    413,
    "BODY_TOO_LARGE",
    "The request's chunk extensions are larger than this server accepts",
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "REQUEST_TIMEOUT", "The request took too long to arrive"],
};

// Closing at once could reset the connection before the client reads the answer (bytes it is
// still sending would be unread); a refused client gets this long to read it and hang up.
const LINGER_MS = 1000;

/** An HTTP server for `listener` whose refusals are JSON errors naming `servedBy`. */
export function createHttpServer(listener: RequestListener, servedBy: string): Server {
  const refuse = (status: number, code: ErrorCode, message: string) => {
    const body = JSON.stringify({ error: { code, message } });
    const headers = {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(body)),
      "X-Served-By": servedBy,
      "X-Content-Type-Options": "nosniff",
      Connection: "close",
    };
    return { headers, body };
  };

  // Node answers a Host-less HTTP/1.1 request itself unless told not to; we answer it below.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    if (isHttp11(req) && req.headers.host === undefined) {
      const { headers, body } = refuse(400, "MISSING_HOST", "An HTTP/1.1 request must name its Host");
      return void res.writeHead(400, headers).end(body);
    }
    listener(req, res);
  });
  server.on("checkExpectation", (_req: IncomingMessage, res) => {
    const { headers, body } = refuse(417, "EXPECTATION_FAILED", "The only Expect this server meets is 100-continue");
    res.writeHead(417, headers).end(body);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node does: no answer once the peer is gone or a response on this socket has begun.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) return void socket.destroy();
    const [status, code, message] = PARSER_REFUSALS[error.code ?? ""] ?? [
      400,
      "MALFORMED_REQUEST",
      "The request is not valid HTTP/1.1",
    ];
    const { headers, body } = refuse(status, code, message);
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
    socket.end([`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, ...head, "", body].join("\r\n"));
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  return server;
}

const isHttp11 = (req: IncomingMessage) => req.httpVersionMajor === 1 && req.httpVersionMinor === 1;
