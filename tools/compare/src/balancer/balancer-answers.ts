// The built-in balancer's own answers, in the apps' contract: JSON
// `{ "error": { "code", "message" } }` with `X-Served-By: balancer`, as a response, or written
// straight onto a socket that was to become a WebSocket.
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** The codes of the balancer's own answers, with their status and meaning (docs/contract.md's table is made from them). */
export const BALANCER_CODES = {
  UPGRADE_NOT_SUPPORTED: { status: 400, meaning: "an upgrade to anything but a WebSocket that carries a body" },
  BODY_TOO_LARGE: { status: 413, meaning: "a body larger than the balancer holds while it picks a server" },
  BAD_GATEWAY: { status: 502, meaning: "the server it chose failed before answering" },
  NO_BACKEND: { status: 503, meaning: "no live server behind it" },
} as const;

type BalancerCode = keyof typeof BALANCER_CODES;

/** An answer of the balancer's own, on a response. */
export function reply(res: ServerResponse, code: BalancerCode, message: string): void {
  const { status } = BALANCER_CODES[code];
  const body = JSON.stringify({ error: { code, message } });
  const length = Buffer.byteLength(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": length, "x-served-by": "balancer" });
  res.end(body);
}

/** An answer on a socket that was to become a WebSocket, in the contract's form. */
export function refuseSocket(socket: Socket, code: BalancerCode, message: string): void {
  const { status } = BALANCER_CODES[code];
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
