// Distance, put between an app and a store on this machine: a TCP proxy that forwards each
// connection to the store and holds every piece of data a fixed time each way (half the round trip
// it was asked for), with optional jitter, never out of order. On loopback a store is 0.02-0.05 ms
// away; within one availability zone about 0.2 ms, across zones 1-2 ms: the one cost that keeping
// state out of the process really has, hidden by loopback unless something puts the distance back.
// It can also be cut (every connection reset, new ones too, as when the store's machine goes away)
// or frozen (nothing delivered either way, as when the store stops answering), and restored.
import { createServer, connect, type Server, type Socket } from "node:net";
import { freePort } from "./free-port";
import { PreciseTimer } from "./precise-timer";

export interface DelayProxyOptions {
  /** Where the store listens. */
  readonly target: { readonly host: string; readonly port: number };
  /** The round trip to add, in milliseconds (any fraction): half of it each way. */
  readonly roundTripMs: number;
  /** Up to this much more each way, at random (ms); data still arrives in the order it was sent. */
  readonly jitterMs?: number;
}

/** Due data is sent when the timer calls at most this early (it aims at the deadline, and may miss by a little). */
const EARLY_ENOUGH_MS = 0.1;

/**
 * One direction of one connection: data (and the end) wait here in the order they came, each until
 * its time, one timer for the line's head: nothing overtakes, jitter or not.
 */
class DelayLine {
  private readonly queue: { readonly at: number; readonly send: () => void }[] = [];
  private last = 0;
  private waiting = false;

  constructor(
    private readonly proxy: DelayProxy,
    private readonly to: Socket,
  ) {}

  carry(chunk: Buffer, whenSent: () => void): void {
    this.last = Math.max(this.last, performance.now() + this.proxy.oneWayMs());
    this.push(this.last, () => {
      if (!this.to.destroyed) this.to.write(chunk);
      whenSent();
    });
  }

  /** The other side ended: so does this one, after the data before it. */
  end(): void {
    this.push(this.last, () => this.to.end());
  }

  /** Sends what is due, in order, unless the proxy holds everything (frozen); then waits for the next. */
  flush(): void {
    if (!this.proxy.forwarding) return;
    while (this.queue.length > 0 && this.queue[0]!.at <= performance.now() + EARLY_ENOUGH_MS)
      this.queue.shift()!.send();
    this.waitForHead();
  }

  private push(at: number, send: () => void): void {
    this.queue.push({ at, send });
    this.waitForHead();
  }

  private waitForHead(): void {
    const head = this.queue[0];
    if (!head || this.waiting) return;
    this.waiting = true;
    this.proxy.timer.after(head.at - performance.now(), () => {
      this.waiting = false;
      this.flush();
    });
  }
}

export class DelayProxy {
  readonly timer = new PreciseTimer();
  private readonly sockets = new Set<Socket>();
  private readonly lines = new Set<DelayLine>();
  private state: "open" | "cut" | "frozen" = "open";
  private roundTripMs: number;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: DelayProxyOptions,
  ) {
    this.roundTripMs = options.roundTripMs;
  }

  /** A proxy on a free port of 127.0.0.1 in front of `target`. */
  static async start(options: DelayProxyOptions): Promise<DelayProxy> {
    checkDelay(options.roundTripMs);
    checkDelay(options.jitterMs ?? 0);
    const port = await freePort();
    // Half-open allowed: one side's end reaches the other after the delay, as its data does.
    const server = createServer({ noDelay: true, allowHalfOpen: true });
    const proxy = new DelayProxy(server, port, options);
    server.on("connection", (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    return proxy;
  }

  get host(): string {
    return "127.0.0.1";
  }

  /** The round trip it adds now (ms). */
  get addedRoundTripMs(): number {
    return this.roundTripMs;
  }

  /**
   * Moves the store to another distance, open connections included: data that comes after waits the
   * new delay (never less than data before it, so nothing overtakes).
   */
  setRoundTripMs(roundTripMs: number): void {
    checkDelay(roundTripMs);
    this.roundTripMs = roundTripMs;
  }

  /** This proxy's one-way delay for the next piece of data, jitter included. */
  oneWayMs(): number {
    return this.roundTripMs / 2 + Math.random() * (this.options.jitterMs ?? 0);
  }

  /** Whether data goes on (not frozen, not cut). */
  get forwarding(): boolean {
    return this.state === "open";
  }

  /** Every connection reset at once, and new ones too, until restore(): as when the store's machine goes away. */
  cut(): void {
    this.state = "cut";
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  /** Connections stay open, and nothing crosses either way, until restore(). */
  freeze(): void {
    if (this.state === "open") this.state = "frozen";
  }

  /** Back to forwarding; what a freeze held goes on, in order. */
  restore(): void {
    this.state = "open";
    for (const line of this.lines) line.flush();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
    await this.timer.close();
  }

  private accept(client: Socket): void {
    if (this.state === "cut") return void client.resetAndDestroy();
    const store = connect({ ...this.options.target, noDelay: true, allowHalfOpen: true });
    for (const socket of [client, store]) {
      this.sockets.add(socket);
      // A side reset (or refused): the other is reset too. A side that ended cleanly ends the other
      // after the delay (pipe), and closes once both have ended.
      socket.on("error", () => undefined);
      socket.on("close", (hadError) => {
        this.sockets.delete(socket);
        this.lines.delete(lineTo.get(socket)!);
        if (hadError) (socket === client ? store : client).destroy();
      });
    }
    const lineTo = new Map([
      [store, this.pipe(client, store)],
      [client, this.pipe(store, client)],
    ]);
  }

  /** `from`'s data to `to` after the delay; reading paused while more than a little waits. */
  private pipe(from: Socket, to: Socket): DelayLine {
    const line = new DelayLine(this, to);
    this.lines.add(line);
    let waiting = 0;
    from.on("data", (chunk: Buffer) => {
      waiting += chunk.length;
      if (waiting > 1 << 20) from.pause();
      line.carry(chunk, () => {
        waiting -= chunk.length;
        if (waiting <= 1 << 20 && from.isPaused()) from.resume();
      });
    });
    from.on("end", () => line.end());
    return line;
  }
}

function checkDelay(ms: number): void {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`a delay is a number of milliseconds, 0 or more (not ${ms})`);
}
