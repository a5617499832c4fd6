// Distance, put between an app and a store on this machine: a TCP proxy that forwards each
// connection to the store and holds every piece of data a fixed time each way (half the round trip
// it was asked for), with optional jitter, never out of order. On loopback a store is 0.02-0.05 ms
// away; within one availability zone about 0.2 ms, across zones 1-2 ms: the one cost that keeping
// state out of the process really has, hidden by loopback unless something puts the distance back.
// It can also be cut (every connection closed, new ones refused, as when the store's machine goes
// away) or frozen (nothing delivered either way, as when the store stops answering), and restored.
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

/** One direction of one connection: data waits here until its time, and goes in order. */
class DelayLine {
  private last = 0;

  constructor(
    private readonly proxy: DelayProxy,
    private readonly to: Socket,
  ) {}

  carry(chunk: Buffer, whenDone?: () => void): void {
    const at = Math.max(this.last, performance.now() + this.proxy.oneWayMs());
    this.last = at;
    this.proxy.deliver(at, () => {
      if (!this.to.destroyed) this.to.write(chunk);
      whenDone?.();
    });
  }

  end(): void {
    this.proxy.deliver(this.last, () => this.to.end());
  }
}

export class DelayProxy {
  private readonly timer = new PreciseTimer();
  private readonly sockets = new Set<Socket>();
  private state: "open" | "cut" | "frozen" = "open";
  /** Deliveries held while frozen, in the order they were due. */
  private held: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: DelayProxyOptions,
  ) {}

  /** A proxy on a free port of 127.0.0.1 in front of `target`. */
  static async start(options: DelayProxyOptions): Promise<DelayProxy> {
    if (!(options.roundTripMs >= 0) || !((options.jitterMs ?? 0) >= 0))
      throw new Error(`a delay is a number of milliseconds, 0 or more (round trip ${options.roundTripMs})`);
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

  /** This proxy's one-way delay for the next piece of data, jitter included. */
  oneWayMs(): number {
    return this.options.roundTripMs / 2 + Math.random() * (this.options.jitterMs ?? 0);
  }

  /** Runs `delivery` at `at` (performance.now() time), or when thawed if frozen by then. */
  deliver(at: number, delivery: () => void): void {
    this.timer.after(at - performance.now(), () => {
      if (this.state === "frozen") this.held.push(delivery);
      else if (this.state === "open") delivery();
    });
  }

  /** Every connection closed at once and new ones refused, until restore(). */
  cut(): void {
    this.state = "cut";
    this.held = [];
    for (const socket of this.sockets) socket.destroy();
  }

  /** Connections stay open, and nothing crosses either way, until restore(). */
  freeze(): void {
    if (this.state === "open") this.state = "frozen";
  }

  /** Back to forwarding; what a freeze held goes on, in order. */
  restore(): void {
    const held = this.held;
    this.held = [];
    this.state = "open";
    for (const delivery of held) delivery();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
    await this.timer.close();
  }

  private accept(client: Socket): void {
    if (this.state === "cut") return void client.destroy();
    const store = connect({ ...this.options.target, noDelay: true, allowHalfOpen: true });
    for (const socket of [client, store]) {
      this.sockets.add(socket);
      // A side reset (or refused): the other is reset too. A side that ended cleanly ends the other
      // after the delay (pipe), and closes once both have ended.
      socket.on("error", () => undefined);
      socket.on("close", (hadError) => {
        this.sockets.delete(socket);
        if (hadError) (socket === client ? store : client).destroy();
      });
    }
    this.pipe(client, store);
    this.pipe(store, client);
  }

  /** `from`'s data to `to` after the delay; reading paused while more than a little waits. */
  private pipe(from: Socket, to: Socket): void {
    const line = new DelayLine(this, to);
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
  }
}
