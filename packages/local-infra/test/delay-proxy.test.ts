// The proxy that puts a store a real network's distance away: the round trip it adds is the one
// asked for, to a fraction of a millisecond, without a busy loop; data arrives whole and in order,
// jitter or not; cut and frozen, it behaves as a store that went away or stopped answering.
import { connect, createServer, type Server, type Socket } from "node:net";
import { DelayProxy } from "../src/delay-proxy";

let echo: Server;
let echoPort: number;
/** Sends a line, then ends its side: what a store does that answers and closes (Redis after QUIT). */
let answerAndEnd: Server;
let answerAndEndPort: number;
const proxies: DelayProxy[] = [];

beforeAll(async () => {
  // A cut resets the proxy's connections to these servers: not an error of theirs.
  echo = createServer((socket) => socket.on("error", () => undefined).pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoPort = (echo.address() as { port: number }).port;
  answerAndEnd = createServer((socket) => socket.on("error", () => undefined).end("+OK\r\n"));
  await new Promise<void>((resolve) => answerAndEnd.listen(0, "127.0.0.1", resolve));
  answerAndEndPort = (answerAndEnd.address() as { port: number }).port;
});
afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  echo.close();
  answerAndEnd.close();
});

async function proxy(roundTripMs: number, jitterMs = 0, port = echoPort): Promise<DelayProxy> {
  const started = await DelayProxy.start({ target: { host: "127.0.0.1", port }, roundTripMs, jitterMs });
  proxies.push(started);
  return started;
}

/** A client of the echo server through `through`, which sends a line and times its echo. */
async function client(through: DelayProxy) {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const opened = connect({ host: through.host, port: through.port, noDelay: true }, () => resolve(opened));
    opened.once("error", reject);
  });
  let received = "";
  let waiting: (() => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString();
    waiting?.();
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.on("error", () => undefined);
  return {
    socket,
    closed,
    /** Sends `text` and waits until `length` characters in all have come back (or `withinMs` passed). */
    async sendAndWait(text: string, length: number, withinMs = 2000): Promise<string> {
      socket.write(text);
      const deadline = Date.now() + withinMs;
      while (received.length < length && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, 20);
        });
      }
      return received;
    },
    async roundTripMs(): Promise<number> {
      const before = received.length;
      const started = performance.now();
      socket.write("x");
      while (received.length === before) {
        if (performance.now() - started > 2000) throw new Error("no echo within 2 s");
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, 100);
        });
      }
      return performance.now() - started;
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("the delay proxy", () => {
  it.each([0.2, 0.5, 1, 2])(
    "adds a round trip of %f ms, within 0.15 ms at the median, over the proxy at 0 ms",
    async (roundTripMs) => {
      const [baseline, delayed] = await Promise.all([client(await proxy(0)), client(await proxy(roundTripMs))]);
      // Up to three rounds of 200, the best one judged: a sub-millisecond figure on a machine
      // whose two cores another test file may be using holds only while it lets the threads run.
      const errors: number[] = [];
      for (let round = 0; round < 3 && !errors.some((error) => error <= 0.15); round++) {
        const without: number[] = [];
        const added: number[] = [];
        // In turns, so that whatever else the machine does falls on both.
        for (let i = 0; i < 200; i++) {
          without.push(await baseline.roundTripMs());
          added.push(await delayed.roundTripMs());
        }
        errors.push(Math.abs(median(added) - median(without) - roundTripMs));
      }
      expect(Math.min(...errors)).toBeLessThanOrEqual(0.15);
      baseline.socket.destroy();
      delayed.socket.destroy();
    },
  );

  it("moves the store to another distance with its connections open (as pnpm bench --store-rtt does between distances)", async () => {
    const moved = await proxy(0);
    const through = await client(moved);
    const medianOf = async (n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) times.push(await through.roundTripMs());
      return median(times);
    };
    const near = await medianOf(20);
    moved.setRoundTripMs(5);
    expect(moved.addedRoundTripMs).toBe(5);
    // 5 ms is far above this machine's noise: the same connection now pays it on every round trip.
    expect((await medianOf(20)) - near).toBeGreaterThanOrEqual(4.5);
    moved.setRoundTripMs(0);
    expect(await medianOf(20)).toBeLessThan(near + 2);
    expect(() => moved.setRoundTripMs(-1)).toThrow("a delay is a number of milliseconds, 0 or more (not -1)");
    through.socket.destroy();
  });

  it("waits without a busy loop: its process burns a small part of a core while data waits", async () => {
    const through = await client(await proxy(10));
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < 100; i++) await through.roundTripMs();
    const cpu = process.cpuUsage(cpuBefore);
    const share = (cpu.user + cpu.system) / 1000 / (performance.now() - started);
    // A thread spinning until each deadline would make this 1 or more (the test's own work is here too).
    expect(share).toBeLessThan(0.5);
    through.socket.destroy();
  });

  it("delivers every byte in the order sent, with jitter wider than the delay", async () => {
    const through = await client(await proxy(0.5, 2));
    const pieces = Array.from({ length: 300 }, (_, i) => `${i},`);
    // Each on its own turn of the event loop, so that each reaches the proxy as a chunk of its own.
    for (const piece of pieces) {
      through.socket.write(piece);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const expected = pieces.join("");
    expect(await through.sendAndWait("", expected.length)).toBe(expected);
    through.socket.destroy();
  });

  it("ends a connection after the data sent before the end, jitter or not", async () => {
    for (let i = 0; i < 20; i++) {
      const through = await client(await proxy(1, 1, answerAndEndPort));
      await through.closed;
      expect(await through.sendAndWait("", 5, 0)).toBe("+OK\r\n");
    }
  });

  it("cut: closes its connections and takes no new one until restored", async () => {
    const through = await proxy(0.2);
    const before = await client(through);
    expect(await before.sendAndWait("a", 1)).toBe("a");
    through.cut();
    await before.closed;
    // Accepted and closed at once, or reset before the client saw it open: either way, no store.
    await client(through).then(
      ({ closed }) => closed,
      () => undefined,
    );
    through.restore();
    const after = await client(through);
    expect(await after.sendAndWait("b", 1)).toBe("b");
    after.socket.destroy();
  });

  it("frozen: keeps its connections and delivers nothing, then everything in order once restored", async () => {
    const through = await proxy(0.2);
    const frozen = await client(through);
    through.freeze();
    expect(await frozen.sendAndWait("one,two", 7, 300)).toBe("");
    through.restore();
    expect(await frozen.sendAndWait(",three", 13)).toBe("one,two,three");
    frozen.socket.destroy();
  });
});
