// Driving a target from outside: users logged in by the hundred, and a load run in a process of
// its own (load-worker.ts), so that the generator never shares an event loop with what it measures.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { logIn, nthBigSpender, type DemoUser } from "../rig/demo-logins";
import { inParallel } from "../util";
import { loadGenerator } from "./core-plan";
import type { LoadJob, LoadOutcome } from "./load-worker";

const LOGINS_AT_ONCE = 4; // the login limiter refuses more than 5 in flight for one username

/**
 * Logs `count` users in at `url`, the n-th as `userOf(n)` (unless told, the big spenders in turns:
 * the bench checks their carts out between runs), each its own session: their Cookie headers, in
 * that order.
 */
export async function logInUsers(
  url: string,
  count: number,
  userOf: (n: number) => DemoUser = nthBigSpender,
): Promise<string[]> {
  const cookies: string[] = [];
  await inParallel(count, LOGINS_AT_ONCE, async (n) => {
    cookies[n] = await logIn(url, userOf(n));
  });
  return cookies;
}

/** Checks every user's cart out, so that no run meets the 99-per-line limit left by the last. */
export async function emptyCarts(url: string, cookies: readonly string[]): Promise<void> {
  for (const cookie of cookies) {
    const response = await fetch(`${url}/checkout`, { method: "POST", headers: { cookie } });
    await response.body?.cancel();
  }
}

export function runLoadProcess(job: LoadJob): Promise<LoadOutcome> {
  return runWorker("load-worker.js", job);
}

/** Runs a generator script of this folder in a process of its own: the job on stdin, its outcome on stdout. */
export function runWorker<Job, Outcome>(script: string, job: Job): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const [command, args] = loadGenerator([join(__dirname, script)]);
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(output) as Outcome) : reject(new Error(`the load generator exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(job));
  });
}
