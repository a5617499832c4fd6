// The load generator, in a process of its own so that it does not share a core's event loop with
// the balancer it measures: `node load-worker.js` reads its job as JSON on stdin, drives the target
// with autocannon, and prints the outcome as JSON on stdout.
import autocannon from "autocannon";
import { round, percentile } from "../util";

export interface LoadJob {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  /** One Cookie header per logged-in user; each request picks a user at random. */
  readonly users: readonly string[];
}

export interface LoadOutcome {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts, and answers other than 2xx. */
  readonly errors: number;
  /** What the errors were: "409 QUANTITY_LIMIT", "ECONNRESET", "timeout"… with their counts. */
  readonly errorKinds: Record<string, number>;
  /** Answers per instance, from X-Served-By. */
  readonly servedBy: Record<string, number>;
}

/**
 * A user's every 40th add deletes the line instead: however fast the target, no cart reaches the
 * 99-per-line limit (unless some 60 of one user's adds are in flight at once).
 */
export const ADDS_BEFORE_DELETE = 40;

type Request = { method: "GET" | "POST" | "DELETE"; path: string; body?: string };

/**
 * The mix: 80% GET /cart, 15% POST /cart/items (a Coke; each user's 40th a DELETE of the line),
 * 5% GET /me. `adds` counts each user's adds so far.
 */
export function pick(random: number, user: number, adds: number[]): Request {
  if (random < 0.8) return { method: "GET", path: "/cart" };
  if (random >= 0.95) return { method: "GET", path: "/me" };
  adds[user] = ((adds[user] ?? 0) + 1) % ADDS_BEFORE_DELETE;
  if (adds[user] === 0) return { method: "DELETE", path: "/cart/items/coke" };
  return { method: "POST", path: "/cart/items", body: JSON.stringify({ sku: "coke", quantity: 1 }) };
}

export async function runLoad(job: LoadJob): Promise<LoadOutcome> {
  const servedBy: Record<string, number> = {};
  const errorKinds: Record<string, number> = {};
  const count = (kind: string) => void (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
  const times: number[] = [];
  const adds: number[] = [];
  const options: autocannon.Options = {
    url: job.url,
    duration: job.seconds,
    connections: job.connections,
    requests: [
      {
        setupRequest: (request) => {
          const user = Math.floor(Math.random() * job.users.length);
          const { method, path, body } = pick(Math.random(), user, adds);
          const cookie = job.users[user]!;
          const headers = { ...request.headers, cookie, ...(body && { "content-type": "application/json" }) };
          return { ...request, method, path, headers, ...(body && { body }) };
        },
        onResponse: (status, body, _context, headers) => {
          if (status < 200 || status >= 300) count(`${status} ${errorCode(body)}`.trim());
          const served = headerValue(headers, "x-served-by") ?? "?";
          servedBy[served] = (servedBy[served] ?? 0) + 1;
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, _status, _bytes, responseTime: number) => times.push(responseTime));
    instance.on("reqError", (error: NodeJS.ErrnoException) => count(error.code ?? error.message));
  });
  if (result.timeouts > 0) errorKinds.timeout = result.timeouts;
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / job.seconds),
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    p99Ms: round(percentile(times, 99)),
    errors: result.errors + result.timeouts + result.non2xx,
    errorKinds,
    servedBy,
  };
}

/** The contract's error code in a JSON error body, if there is one. */
function errorCode(body: string): string {
  try {
    return String((JSON.parse(body) as { error?: { code?: unknown } }).error?.code ?? "");
  } catch {
    return "";
  }
}

// autocannon hands headers over as an object or as a flat [name, value, ...] list, by version.
function headerValue(headers: unknown, name: string): string | undefined {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
    return undefined;
  }
  const entry = Object.entries((headers ?? {}) as Record<string, unknown>).find(([key]) => key.toLowerCase() === name);
  return entry === undefined ? undefined : String(entry[1]);
}

if (require.main === module) {
  let input = "";
  process.stdin.on("data", (chunk: Buffer) => (input += chunk.toString()));
  process.stdin.on("end", () => {
    void runLoad(JSON.parse(input) as LoadJob).then((outcome) => process.stdout.write(JSON.stringify(outcome)));
  });
}
