#!/usr/bin/env node
// `pnpm memory`: what a session costs in a server's memory. One instance of each app as a real
// process; N users log in and put a pizza in their cart; the instance's resident memory (RSS)
// and the sessions it holds, before and after. The stateful app's memory grows with its users
// (until their sessions expire and are swept); the stateless one's does not.
import { LocalRedisServer, ManagedProcess, MissingToolError, startNodeServer } from "@cart/local-infra";
import { Command, Option } from "commander";
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ARCHITECTURES, clusterEnv, serverScript, type Architecture } from "./apps";
import { wholeNumber } from "./cli-args";
import { inParallel, logIn, nthUser } from "./demo-logins";

interface MemoryResult {
  readonly app: Architecture;
  readonly logins: number;
  readonly sessionsInMemory: number;
  /** After a warm-up of a few logins (JIT, heap, scrypt's buffers), which are not counted. */
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly bytesPerLogin: number;
  readonly seconds: number;
}

const program = new Command()
  .name("pnpm memory")
  .description("Measure what sessions cost in a server's memory: RSS of one instance before and after N logins.")
  .option(
    "--logins <n>",
    "users who log in and add a pizza (each login costs ~40 ms of scrypt)",
    wholeNumber(1, 1_000_000),
    10_000,
  )
  .option("--concurrency <n>", "logins in flight at once", wholeNumber(1, 256), 8)
  .addOption(new Option("--app <app>", "measure only this app").choices(ARCHITECTURES))
  .option("--report-dir <dir>", "where memory.json is written", "reports");

/** Resident memory of a process, in bytes (`ps`: Linux and macOS alike). */
function rssBytes(pid: number): number {
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) * 1024;
}

async function measure(
  app: Architecture,
  logins: number,
  concurrency: number,
  redisUrl: string,
): Promise<MemoryResult> {
  const env = { ...clusterEnv(app, redisUrl), INSTANCE_ID: `${app}-memory`, LOG_LEVEL: "warn" };
  const server = await startNodeServer({ name: `${app}-memory`, script: serverScript(app), env });
  try {
    // Warm-up: the first logins grow the heap for reasons that have nothing to do with sessions.
    const warmUp = Math.min(200, Math.ceil(logins / 10));
    await runLogins(server.url, warmUp, concurrency, () => {});
    const rssBefore = rssBytes(server.process.pid);
    const started = Date.now();
    await runLogins(server.url, logins - warmUp, concurrency, (done) => {
      if (done % Math.max(1, Math.floor(logins / 10)) === 0) {
        process.stderr.write(
          `  ${app}: ${done + warmUp} of ${logins} logins, RSS ${mb(rssBytes(server.process.pid))} MB\n`,
        );
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

async function main(): Promise<number> {
  const options = program
    .parse()
    .opts<{ logins: number; concurrency: number; app?: Architecture; reportDir: string }>();
  const apps = options.app ? [options.app] : [...ARCHITECTURES];
  process.once("SIGINT", () => void ManagedProcess.stopAll().finally(() => process.exit(130)));
  process.on("exit", () => ManagedProcess.killAllNow());
  let redis: LocalRedisServer | undefined;
  try {
    if (apps.includes("stateless") && !process.env.REDIS_URL) redis = await LocalRedisServer.start();
    const redisUrl = process.env.REDIS_URL || redis?.url || "";
    const results: MemoryResult[] = [];
    for (const app of apps) {
      console.log(`${app}: ${options.logins} logins, ${options.concurrency} at a time…`);
      const result = await measure(app, options.logins, options.concurrency, redisUrl);
      results.push(result);
      console.log(
        `${app.padEnd(9)} ${result.sessionsInMemory} sessions in memory, RSS ${result.rssBeforeMb} MB → ${result.rssAfterMb} MB (${result.bytesPerLogin} bytes per login), ${result.seconds} s`,
      );
    }
    await mkdir(options.reportDir, { recursive: true });
    const file = join(options.reportDir, "memory.json");
    await writeFile(file, `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
    console.log(`Report: ${file}`);
    return 0;
  } catch (error) {
    console.error(error instanceof MissingToolError ? error.message : `memory: ${(error as Error).message}`);
    return 2;
  } finally {
    await redis?.stop();
  }
}

void main().then((code) => process.exit(code));
