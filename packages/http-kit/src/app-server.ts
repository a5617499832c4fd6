// The server an app listens with: createHttpServer's, plus WebSocket upgrades handed to the app
// itself, as any request is. So an upgrade to `GET /chat` goes through the app's own middleware
// (request id and log line, security headers, identity, the JSON error handler): a refusal (401,
// 403, 404) is the contract's JSON, and only the chat's route turns the socket into a WebSocket.
import type { Express } from "express";
import { ServerResponse, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createHttpServer } from "./http-server";

declare module "node:http" {
  interface IncomingMessage {
    /** Set on an upgrade request: the connection and its first bytes, for the route that takes it over. */
    upgrade?: { readonly socket: Duplex; readonly head: Buffer };
  }
}

export function createAppServer(app: Express, instanceId: string): Server {
  const server = createHttpServer(app, instanceId);
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    req.upgrade = { socket, head };
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    socket.on("error", () => socket.destroy());
    // Answered over HTTP (a refusal): the connection ends with the answer.
    res.once("finish", () => socket.end());
    app(req, res);
  });
  return server;
}
