// What a session costs in a server's memory. One instance of each app as a real process; N users
// log in and put a pizza in their cart; the instance's resident memory (RSS) and the sessions it
// holds, before and after. The stateful app's memory grows with its users (until their sessions
// expire and are swept); the stateless one's does not.
import { startNodeServer } from "@cart/local-infra";
import { execFileSync } from "node:child_process";
import { serverScript } from "../rig/apps";
import { logIn, nthUser } from "../rig/demo-logins";
import { inParallel } from "../util";
import { type Architecture } from "../vocabulary";

export interface MemoryResult {
  readonly app: Architecture;
  readonly logins: number;
  readonly sessionsInMemory: number;
  /** After a warm-up of a few logins (JIT, heap, scrypt's buffers), which are not counted. */
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly bytesPerLogin: number;
  readonly seconds: number;
}

/** Resident memory of a process, in bytes (`ps`: Linux and macOS alike). */
function rssBytes(pid: number): number {
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) * 1024;
}

export async function measure(
  app: Architecture,
  logins: number,
  concurrency: number,
  /** The instance's environment: its secrets and store (TestBed.instanceEnv). */
  appEnv: NodeJS.ProcessEnv,
  onProgress: (line: string) => void,
): Promise<MemoryResult> {
  // The login limiter counts every login until it succeeds: hundreds of logins of the same few
  // users, eight at a time, reached alice's limit of 5 on a loaded machine (a 429 in CI) with no
  // wrong password at all. This tool measures memory, not limits: they are out of its way.
  const noLoginLimits = { LOGIN_MAX_FAILURES: "1000000", LOGIN_MAX_FAILURES_PER_CLIENT: "1000000" };
  const env = { ...appEnv, ...noLoginLimits, INSTANCE_ID: `${app}-memory`, LOG_LEVEL: "warn" };
  const server = await startNodeServer({ name: `${app}-memory`, script: serverScript(app), env });
  try {
    // Warm-up: the first logins grow the heap for reasons that have nothing to do with sessions.
    const warmUp = Math.min(200, Math.ceil(logins / 10));
    await runLogins(server.url, warmUp, concurrency, () => {});
    const rssBefore = rssBytes(server.process.pid);
    const started = Date.now();
    await runLogins(server.url, logins - warmUp, concurrency, (done) => {
      if (done % Math.max(1, Math.floor(logins / 10)) === 0) {
        onProgress(`  ${app}: ${done + warmUp} of ${logins} logins, RSS ${mb(rssBytes(server.process.pid))} MB`);
      }
    });
    const rssAfter = rssBytes(server.process.pid);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { sessionsInMemory: number };
    return {
      app,
      logins,
      sessionsInMemory: health.sessionsInMemory,
      rssBeforeMb: mb(rssBefore),
      rssAfterMb: mb(rssAfter),
      bytesPerLogin: Math.round((rssAfter - rssBefore) / Math.max(1, logins - warmUp)),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await server.process.stop();
  }
}

/** `count` users log in and put a pizza in their cart, `concurrency` at a time; `onDone` after each. */
async function runLogins(url: string, count: number, concurrency: number, onDone: (done: number) => void) {
  let done = 0;
  await inParallel(count, concurrency, async (n) => {
    const cookie = await logIn(url, nthUser(n));
    const added = await fetch(`${url}/cart/items`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ sku: "pepperoni-pizza", quantity: 1 }),
    });
    if (added.status !== 200) throw new Error(`POST /cart/items → ${added.status}`);
    onDone(++done);
  });
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
