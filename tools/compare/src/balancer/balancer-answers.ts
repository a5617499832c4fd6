// The built-in balancer's own answers, in the apps' contract: JSON
// `{ "error": { "code", "message" } }` with `X-Served-By: balancer`, as a response, or written
// straight onto a socket that was to become a WebSocket.
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** An answer of the balancer's own, on a response. */
export function reply(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const length = Buffer.byteLength(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": length, "x-served-by": "balancer" });
  res.end(body);
}

/** An answer on a socket that was to become a WebSocket, in the contract's form. */
export function refuseSocket(socket: Socket, status: number, code: string, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: { code, message } });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "X-Served-By: balancer",
    "Connection: close",
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
}
