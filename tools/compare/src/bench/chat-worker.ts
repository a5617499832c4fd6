// The chat's load generator, in a process of its own (as load-worker.ts is for HTTP): `node
// chat-worker.js` reads its job as JSON on stdin, opens one WebSocket per logged-in browser
// through the balancer, has every socket write to the next user at a steady rate, times each
// message from its send to every socket of its recipient that gets it, and prints the outcome as
// JSON on stdout.
import WebSocket from "ws";
import { percentile, round, sleep } from "../util";

export interface ChatJob {
  readonly url: string;
  /** One browser per socket: its Cookie header and its user. */
  readonly browsers: readonly { readonly cookie: string; readonly user: string }[];
  readonly seconds: number;
  /** Messages each socket writes a second (the chat allows 10 frames a second per connection). */
  readonly rate: number;
}

export interface ChatOutcome {
  /** Messages the sockets wrote while measured, and a second. */
  readonly sent: number;
  readonly sentPerSecond: number;
  /** Copies that should have arrived: each message, once on every socket of its recipient. */
  readonly expected: number;
  readonly delivered: number;
  readonly deliveredPerSecond: number;
  /** Delivered copies whose socket is on another server than the sender's. */
  readonly acrossServers: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Error frames the sockets got, by code. */
  readonly errors: Record<string, number>;
  /** Sockets per server, from the upgrade's X-Served-By. */
  readonly socketsPerServer: Record<string, number>;
}

/** After the last send, how long late copies may still arrive. */
const DRAIN_MS = 1000;
const OPEN_TIMEOUT_MS = 10_000;

interface Socket {
  readonly ws: WebSocket;
  readonly user: string;
  readonly server: string;
}

export async function runChatLoad(job: ChatJob): Promise<ChatOutcome> {
  const users = [...new Set(job.browsers.map(({ user }) => user))];
  const sentAt = new Map<string, { at: number; server: string; to: string }>();
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let acrossServers = 0;
  let measuring = false;

  const sockets = await Promise.all(
    job.browsers.map(
      ({ cookie, user }) =>
        new Promise<Socket>((resolve, reject) => {
          const ws = new WebSocket(`${job.url.replace(/^http/, "ws")}/chat`, {
            headers: { cookie },
            handshakeTimeout: OPEN_TIMEOUT_MS,
          });
          let server = "balancer";
          ws.once("upgrade", (res) => (server = String(res.headers["x-served-by"] ?? "balancer")));
          ws.once("open", () => resolve({ ws, user, server }));
          ws.once("error", reject);
          ws.on("message", (data) => {
            const frame = JSON.parse(data.toString()) as { type: string; from?: string; text?: string; code?: string };
            if (frame.type === "error") errors[frame.code ?? "?"] = (errors[frame.code ?? "?"] ?? 0) + 1;
            // A copy for the recipient; the sender's own copies (its echo) are not deliveries.
            if (frame.type !== "message" || frame.from === user || !measuring) return;
            const sent = sentAt.get(frame.text ?? "");
            if (!sent) return;
            latencies.push(performance.now() - sent.at);
            if (sent.server !== server) acrossServers++;
          });
        }),
    ),
  );
  const socketsPerServer: Record<string, number> = {};
  for (const { server } of sockets) socketsPerServer[server] = (socketsPerServer[server] ?? 0) + 1;
  const socketsOf = (user: string) => sockets.filter((socket) => socket.user === user).length;

  measuring = true;
  const until = performance.now() + job.seconds * 1000;
  const interval = 1000 / job.rate;
  let sent = 0;
  let expected = 0;
  await Promise.all(
    sockets.map(async (socket, n) => {
      const to = users[(users.indexOf(socket.user) + 1) % users.length]!;
      await sleep((n / sockets.length) * interval); // spread over the interval, not all at once
      for (let seq = 1; performance.now() < until; seq++) {
        const text = `bench ${n}-${seq}`;
        sentAt.set(text, { at: performance.now(), server: socket.server, to });
        socket.ws.send(JSON.stringify({ type: "send", to, text }));
        sent++;
        expected += socketsOf(to);
        await sleep(interval);
      }
    }),
  );
  await sleep(DRAIN_MS);
  measuring = false;
  for (const { ws } of sockets) ws.close();

  return {
    sent,
    sentPerSecond: round(sent / job.seconds),
    expected,
    delivered: latencies.length,
    deliveredPerSecond: round(latencies.length / job.seconds),
    acrossServers,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    errors,
    socketsPerServer,
  };
}

if (require.main === module) {
  let input = "";
  process.stdin.on("data", (chunk: Buffer) => (input += chunk.toString()));
  process.stdin.on("end", () => {
    runChatLoad(JSON.parse(input) as ChatJob).then(
      (outcome) => process.stdout.write(JSON.stringify(outcome)),
      (error: unknown) => {
        console.error(`chat load: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  });
}
