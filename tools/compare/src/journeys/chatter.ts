// A shopper's chat window: a WebSocket to `GET /chat` through the balancer, with the browser's
// credentials. It keeps every frame it gets, raw and in order, so that a duplicate shows; opening
// it is a step of the journey (with the server that took it, from X-Served-By).
import type { ServerFrame } from "@cart/domain";
import WebSocket from "ws";
import type { Shopper } from "./shopper";
import { describeFailure } from "./shopper";
import { JourneyFailure, type Step } from "./steps";

const OPEN_TIMEOUT_MS = 5000;

/** A socket that did not open: the answer's status (0: none came), and what the user saw. */
export class ChatRefused extends JourneyFailure {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class Chatter {
  readonly frames: ServerFrame[] = [];
  /** When each frame came (performance.now()), in the order of `frames`. */
  readonly arrivals: number[] = [];
  /** Resolves with the close code once the socket has closed (a server restarting says 1001). */
  readonly closed: Promise<number>;
  private readonly waiting = new Set<() => void>();
  private ended = false;
  /** Closed by this side (the journey is over), not by the server. */
  closedHere = false;

  private constructor(
    readonly shopper: Shopper,
    /** The server holding this socket. */
    readonly servedBy: string,
    private readonly ws: WebSocket,
  ) {
    ws.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      this.arrivals.push(performance.now());
      for (const wake of this.waiting) wake();
    });
    this.closed = new Promise((resolve) =>
      ws.once("close", (code) => {
        this.ended = true;
        for (const wake of this.waiting) wake();
        resolve(code);
      }),
    );
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Opens the shopper's chat through the balancer; stops the journey if it is refused. */
  static open(shopper: Shopper, balancerUrl: string, record: (step: Step) => void): Promise<Chatter> {
    return shopper.credentials().then(
      (headers) =>
        new Promise<Chatter>((resolve, reject) => {
          const started = performance.now();
          const ws = new WebSocket(`${balancerUrl.replace(/^http/, "ws")}/chat`, {
            headers,
            handshakeTimeout: OPEN_TIMEOUT_MS,
          });
          const step = (instance: string, status: number, code?: string) =>
            record({
              shopper: shopper.name,
              request: "GET /chat (WebSocket)",
              instance,
              status,
              code,
              ms: Math.round((performance.now() - started) * 10) / 10,
            });
          ws.once("upgrade", (res) => {
            const servedBy = String(res.headers["x-served-by"] ?? "balancer");
            step(servedBy, 101);
            const chatter = new Chatter(shopper, servedBy, ws);
            ws.once("open", () => resolve(chatter));
          });
          ws.once("unexpected-response", (_req, res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => {
              const body = parseJson(text) as { error?: { code?: string } } | undefined;
              const instance = String(res.headers["x-served-by"] ?? "balancer");
              step(instance, res.statusCode ?? 0, body?.error?.code);
              const reply = { status: res.statusCode ?? 0, body, instance, ms: 0 };
              reject(new ChatRefused(reply.status, describeFailure(shopper.name, "GET /chat (WebSocket)", reply)));
            });
          });
          // Before the upgrade, an error is the step's answer; after it (the server was killed, say),
          // the socket just closes, as a browser's does.
          let upgraded = false;
          ws.once("upgrade", () => (upgraded = true));
          ws.on("error", (error) => {
            if (upgraded) return;
            step("balancer", 0, "NO_ANSWER");
            reject(new ChatRefused(0, `GET /chat (WebSocket) for ${shopper.name} → no answer: ${error.message}`));
          });
        }),
    );
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame got so far or within `ms` that matches; undefined if none came before then or the close. */
  next(match: (frame: ServerFrame) => boolean, ms: number): Promise<ServerFrame | undefined> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.frames.find(match);
        if (found || this.ended) finish(found);
      };
      const finish = (frame: ServerFrame | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(check);
        resolve(frame);
      };
      const timer = setTimeout(() => finish(undefined), ms);
      this.waiting.add(check);
      check();
    });
  }

  close(): void {
    this.closedHere = true;
    this.ws.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
