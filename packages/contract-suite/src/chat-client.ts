// A chat client for the tests: a real WebSocket (ws) to a real listening server, keeping every
// frame it gets, raw, in order (nothing is merged or de-duplicated, so a duplicate shows).
import { createAppServer } from "@cart/http-kit";
import type { ServerFrame } from "@cart/domain";
import type { Express } from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { PASSWORDS } from "./demo-passwords";

export interface ChatClient {
  readonly frames: ServerFrame[];
  /** Sends an object as JSON, or a string or bytes as they are. */
  send(frame: object | string | Buffer): void;
  /** The first frame (from now on or already got) matching `match`, within `ms`. */
  next(match: (frame: ServerFrame) => boolean, ms?: number): Promise<ServerFrame>;
  /** Resolves with the close code and reason, once the server closes (or `close` is called). */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Logs `username` in over HTTP at `url`: the headers (its Cookie) that say who they are from then on. */
export async function logIn(url: string, username: string): Promise<Record<string, string>> {
  const response = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORDS[username] }),
  });
  if (response.status !== 200) throw new Error(`POST /auth/login as ${username} at ${url} → ${response.status}`);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  return { cookie };
}

/** A listening instance of `app`, with its WebSocket upgrades (runServer's server), on a free port. */
export async function listening(app: Express, instanceId: string): Promise<{ url: string; server: Server }> {
  const server = createAppServer(app, instanceId);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Opens `GET /chat` with `headers` (a Cookie, say); rejects with the HTTP status if refused. */
export function openChat(url: string, headers: Record<string, string>): Promise<ChatClient> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/chat`, { headers });
  const frames: ServerFrame[] = [];
  const waiting = new Set<() => void>();
  ws.on("message", (data) => {
    frames.push(JSON.parse(data.toString()) as ServerFrame);
    for (const wake of waiting) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: ChatClient = {
    frames,
    send: (frame) => ws.send(typeof frame === "string" || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame)),
    next: (match, ms = 2000) =>
      new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          const found = frames.slice(seen).find(match);
          seen = frames.length;
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames)}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      }),
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () =>
        reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode, body })),
      );
    });
    ws.once("error", reject);
  });
}
