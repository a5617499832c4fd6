// The chat's routes, the same for both apps. `GET /chat` turns into a WebSocket for a recognised
// user of this site (the app's own middleware ran on the upgrade request: see app-server.ts), and
// four reads go over plain HTTP. Each frame is checked here (parseClientFrame) and limited per
// connection, then handed to the ChatService in the order it came; a refused frame is answered
// with an `error` frame, never dropped in silence.
import {
  ChatFrameError,
  FRAME_BURST,
  FRAMES_PER_SECOND,
  DomainError,
  findUser,
  parseClientFrame,
  type ChatService,
  type ServerFrame,
} from "@cart/domain";
import { Router } from "express";
import type { Logger } from "pino";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { z } from "zod";
import { CLOSE, type ChatConnections, type ChatSocket } from "./chat-connections";
import { HttpError } from "./http-error";
import type { Identity, Principal } from "./identity";
import { parseInput } from "./parse-input";
import { principalOf, requireUser } from "./require-user";
import { sameOriginSocket } from "./same-origin";

/** Refused frames after which a connection is closed: a flood, not a mistake. */
const MAX_REFUSALS = 50;
/** Beyond this ws closes the connection (1009); up to it, an oversized frame gets an error frame. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** A connection that has not answered a ping for this long is gone (its client vanished). */
const HEARTBEAT_MS = 15_000;
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;
/** setTimeout's longest delay (about 24.8 days); a session lives far less. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What an app with a chat passes to createShopApp. */
export interface ShopChat {
  readonly service: ChatService;
  /** This server's open sockets (the app's ChatState delivers through them). */
  readonly connections: ChatConnections;
}

const historyQuery = z.strictObject({
  with: z.string().min(1).max(64),
  after: z.coerce.number().int().min(0).default(0),
});

export function chatRoutes(identity: Identity, chat: ShopChat, instanceId: string): Router {
  const router = Router();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  // Which server took the socket, as every answer says (through a balancer too).
  sockets.on("headers", (headers) => headers.push(`X-Served-By: ${instanceId}`));
  const signedIn = requireUser(identity);

  router.get("/chat", sameOriginSocket, signedIn, async (req, res) => {
    const { upgrade } = req;
    if (!upgrade || req.headers.upgrade?.toLowerCase() !== "websocket") {
      throw new HttpError(426, "UPGRADE_REQUIRED", "GET /chat opens a WebSocket: send Upgrade: websocket");
    }
    const key = req.headers["sec-websocket-key"];
    if (req.headers["sec-websocket-version"] !== "13" || typeof key !== "string" || !WEBSOCKET_KEY.test(key)) {
      throw new HttpError(400, "BAD_HANDSHAKE", "A WebSocket handshake needs Sec-WebSocket-Version 13 and a key");
    }
    // The request's log line is written when the connection closes, with its lifetime.
    res.statusCode = 101;
    const principal = principalOf(res);
    const { userId } = principal;
    // Registered, and known to the other servers, before the handshake completes: once the
    // client's socket is open, a message to its user reaches it. Frames for it wait till then.
    const socket = new PendingSocket();
    const unregister = chat.connections.add(principal, socket);
    // Unregistered once the others have been told: a server stopping waits for that (see run-server.ts).
    const leave = () => {
      void chat.service
        .disconnected(userId)
        .catch(() => undefined)
        .finally(unregister);
    };
    // The client may hang up before the handshake: it was never a connection.
    upgrade.socket.once("close", leave);
    let welcome: ServerFrame[];
    try {
      welcome = await chat.service.connected(userId);
    } catch (error) {
      upgrade.socket.off("close", leave);
      leave();
      throw error; // no store, no chat: 503 STORE_UNAVAILABLE, as JSON
    }
    sockets.handleUpgrade(req, upgrade.socket, upgrade.head, (ws) => {
      upgrade.socket.off("close", leave);
      socket.attach(ws, welcome);
      openConnection(ws, principal, { chat, socket, leave }, req.log);
    });
  });

  router.get("/chat/online", signedIn, async (_req, res) => {
    res.json({ online: await chat.service.online() });
  });

  router.get("/chat/unread", signedIn, async (_req, res) => {
    res.json({ unread: await chat.service.unread(principalOf(res).userId) });
  });

  router.get("/chat/typing", signedIn, async (_req, res) => {
    res.json({ typing: await chat.service.typingTo(principalOf(res).userId) });
  });

  router.get("/chat/history", signedIn, async (req, res) => {
    const { with: other, after } = parseInput(historyQuery, req.query);
    const { userId } = principalOf(res);
    if (other === userId || !findUser(other)) throw new HttpError(400, "UNKNOWN_USER", `No other user "${other}"`);
    res.json({ messages: await chat.service.history(userId, other, after) });
  });

  return router;
}

function openConnection(
  ws: WebSocket,
  principal: Principal,
  { chat, socket, leave }: { chat: ShopChat; socket: ChatSocket; leave: () => void },
  log: Logger | undefined,
): void {
  const { userId } = principal;
  const sendAll = (frames: ServerFrame[]) => frames.forEach((frame) => socket.send(frame));
  // The client learns that its frame was not handled, never the server's internals (they are logged).
  const failed = (error: unknown) => {
    if (error instanceof DomainError && error.code === "STORE_UNAVAILABLE") {
      return socket.send({ type: "error", code: "STORE_UNAVAILABLE", message: "The chat's store did not answer" });
    }
    log?.error({ err: error, userId }, "chat frame failed");
    socket.send({ type: "error", code: "INTERNAL", message: "The server could not handle that frame" });
  };
  // One frame at a time, in the order they came: two messages sent in a row keep their order.
  let queue = Promise.resolve();

  const allowance = tokenBucket(FRAMES_PER_SECOND, FRAME_BURST);
  let refusals = 0;
  const refuse = (error: ChatFrameError) => {
    socket.send({ type: "error", code: error.code, message: error.message });
    if (++refusals >= MAX_REFUSALS) ws.close(CLOSE.policy, "Too many refused frames");
  };
  ws.on("message", (data, isBinary) => {
    if (!allowance()) {
      return refuse(new ChatFrameError("RATE_LIMITED", `At most ${FRAMES_PER_SECOND} frames a second`));
    }
    try {
      const frame = parseClientFrame(asBuffer(data), isBinary, userId);
      queue = queue.then(() => chat.service.receive(userId, frame)).then(sendAll, failed);
    } catch (error) {
      if (!(error instanceof ChatFrameError)) throw error;
      refuse(error);
    }
  });

  // A session that ends by itself takes its sockets with it, as logout does.
  const expiry = setTimeout(
    () => ws.close(CLOSE.sessionEnded, "The session has expired"),
    Math.min(Math.max(0, principal.expiresAt - Date.now()), MAX_TIMER_MS),
  );
  expiry.unref();
  let answered = true;
  const heartbeat = setInterval(() => {
    if (!answered) return ws.terminate();
    answered = false;
    ws.ping();
  }, HEARTBEAT_MS);
  heartbeat.unref();
  ws.on("pong", () => (answered = true));
  ws.on("error", () => ws.terminate());
  ws.on("close", () => {
    clearInterval(heartbeat);
    clearTimeout(expiry);
    void queue.then(leave);
  });
}

/** A socket's place in the registry before its handshake is done: frames for it wait, in order. */
class PendingSocket implements ChatSocket {
  private ws: WebSocket | undefined;
  private waiting: ServerFrame[] = [];
  /** Closed before its handshake was done (a logout meanwhile): closed as soon as it opens. */
  private closedEarly: { code: number; reason: string } | undefined;

  /** The handshake is done: the welcome (who is online, what is unread), then what waited. */
  attach(ws: WebSocket, welcome: ServerFrame[]): void {
    this.ws = ws;
    if (this.closedEarly) return ws.close(this.closedEarly.code, this.closedEarly.reason);
    for (const frame of [...welcome, ...this.waiting]) this.send(frame);
    this.waiting = [];
  }

  send(frame: ServerFrame): void {
    if (!this.ws) return void this.waiting.push(frame);
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  close(code: number, reason: string): void {
    if (this.ws) this.ws.close(code, reason);
    else this.closedEarly = { code, reason };
  }
}

/** A frame's bytes, whichever shape ws hands them over in. */
function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** Whether one more frame is allowed now: `rate` a second on average, `burst` at once. */
function tokenBucket(rate: number, burst: number): () => boolean {
  let tokens = burst;
  let last = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
