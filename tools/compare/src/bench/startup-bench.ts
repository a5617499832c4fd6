// `pnpm bench --startup`: how long a new server takes to be ready, the wait behind every rolling
// deploy, crash recovery and scale-out. Each start is a real process, spawned as the suite spawns
// them (node dist/server.js), timed from the spawn to the first 200 from GET /readyz, with the CPU
// it burnt by then. Beside the apps: a bare Node http server, the floor no server goes below on
// this machine and this Node. The stateless app is started on a database already migrated (a
// rolling deploy's case) and on a new one (its migrations and the job queue's tables made first).
// Targets are interleaved round by round, so that what the machine does meanwhile falls on all.
import { freePort, ManagedProcess } from "@cart/local-infra";
import { request } from "node:http";
import { join } from "node:path";
import { serverScript } from "../rig/apps";
import { TestBed } from "../rig/test-bed";
import { percentile, round, sleep } from "../util";
import { cpuMs } from "./cpu-time";

export interface StartupBenchOptions {
  /** Measured starts of each target. */
  readonly starts: number;
  readonly onProgress: (line: string) => void;
}

export type StartupTargetName =
  "floor" | "stateful" | "stateful-no-code-cache" | "stateless" | "stateless-no-code-cache" | "stateless-new-database";

export interface StartupRun {
  readonly target: StartupTargetName;
  readonly what: string;
  /** Spawn to the first 200 from /readyz, each start, in the order they ran. */
  readonly readyMs: number[];
  /** CPU (user + system) the process had burnt when it was ready, each start. */
  readonly cpuMs: number[];
  readonly medianReadyMs: number;
  readonly minReadyMs: number;
  readonly maxReadyMs: number;
  readonly medianCpuMs: number;
}

export interface StartupBenchReport {
  readonly settings: { readonly starts: number; readonly node: string };
  readonly runs: StartupRun[];
  /** Each app's median over the floor's (stateless: on a migrated database). */
  readonly overFloor: { readonly stateful: number; readonly stateless: number };
}

interface Target {
  readonly name: StartupTargetName;
  readonly what: string;
  readonly script: string;
  /** The environment of one start (the stateless app's new-database target makes a database each time). */
  readonly env: () => Promise<NodeJS.ProcessEnv>;
}

/** How long one start may take before the bench gives up on it (a new database on a busy machine). */
const START_TIMEOUT_MS = 30_000;
/**
 * How often a starting server is asked whether it is ready: the resolution of each figure. Not
 * more often: each question that reaches it is a request it serves while it starts, and the
 * stateless app's /readyz asks each of its stores.
 */
const POLL_MS = 10;
/** dist/server.js neither reads nor writes V8's code cache when this is set, as Node its own compile cache. */
const NO_CODE_CACHE = { NODE_DISABLE_COMPILE_CACHE: "1" };

export async function startupBench({ starts, onProgress }: StartupBenchOptions): Promise<StartupBenchReport> {
  const bed = await TestBed.open({ lb: "builtin" });
  try {
    const stateful = await bed.instanceEnv("stateful");
    const migrated = await bed.instanceEnv("stateless");
    const quiet = { LOG_LEVEL: "warn", NODE_ENV: "production" };
    const targets: Target[] = [
      {
        name: "floor",
        what: "a bare Node http server",
        script: join(__dirname, "bare-server.js"),
        env: async () => ({}),
      },
      { name: "stateful", what: "the stateful app", script: serverScript("stateful"), env: async () => stateful },
      {
        name: "stateful-no-code-cache",
        what: "the stateful app, its code cache off",
        script: serverScript("stateful"),
        env: async () => ({ ...stateful, ...NO_CODE_CACHE }),
      },
      {
        name: "stateless",
        what: "the stateless app, its database already migrated",
        script: serverScript("stateless"),
        env: async () => migrated,
      },
      {
        name: "stateless-no-code-cache",
        what: "the same, its code cache off",
        script: serverScript("stateless"),
        env: async () => ({ ...migrated, ...NO_CODE_CACHE }),
      },
      {
        name: "stateless-new-database",
        what: "the stateless app on a new database (migrations, the job queue's tables)",
        script: serverScript("stateless"),
        env: () => bed.instanceEnv("stateless"),
      },
    ];
    // One start of each first, not counted: it migrates the database and writes the code cache, as
    // the first server of a deploy does.
    onProgress("one start of each target first, not counted (it migrates the database, writes the code cache)");
    for (const target of targets) await startOnce(target, { ...(await target.env()), ...quiet });
    const times = new Map(targets.map((target) => [target.name, { readyMs: [] as number[], cpuMs: [] as number[] }]));
    for (let round = 1; round <= starts; round++) {
      for (const target of targets) {
        const start = await startOnce(target, { ...(await target.env()), ...quiet });
        times.get(target.name)!.readyMs.push(start.readyMs);
        times.get(target.name)!.cpuMs.push(start.cpuMs);
      }
      onProgress(
        `round ${round} of ${starts}: ` +
          targets.map((target) => `${target.name} ${times.get(target.name)!.readyMs.at(-1)} ms`).join(", "),
      );
    }
    const runs = targets.map(({ name, what }) => summary(name, what, times.get(name)!));
    const median = (name: StartupTargetName) => runs.find((run) => run.target === name)!.medianReadyMs;
    return {
      settings: { starts, node: process.version },
      runs,
      overFloor: {
        stateful: round(median("stateful") / median("floor")),
        stateless: round(median("stateless") / median("floor")),
      },
    };
  } finally {
    await bed.close();
  }
}

function summary(target: StartupTargetName, what: string, times: { readyMs: number[]; cpuMs: number[] }): StartupRun {
  return {
    target,
    what,
    readyMs: times.readyMs,
    cpuMs: times.cpuMs,
    medianReadyMs: percentile(times.readyMs, 50),
    minReadyMs: Math.min(...times.readyMs),
    maxReadyMs: Math.max(...times.readyMs),
    medianCpuMs: percentile(times.cpuMs, 50),
  };
}

/** Spawns the target, waits for its first 200 from /readyz, reads its CPU time, stops it. */
async function startOnce(target: Target, env: NodeJS.ProcessEnv): Promise<{ readyMs: number; cpuMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/readyz`;
  const spawnedAt = performance.now();
  const server = await ManagedProcess.start(target.name, process.execPath, [target.script], {
    env: { ...process.env, ...env, INSTANCE_ID: target.name, PORT: String(port), HOST: "127.0.0.1" },
  });
  try {
    while (!(await answersOk(url))) {
      if (!server.running) throw new Error(`${target.name} exited at start; its output:\n${server.recentOutput}`);
      if (performance.now() - spawnedAt > START_TIMEOUT_MS) {
        throw new Error(`${target.name} was not ready ${START_TIMEOUT_MS / 1000} s after it started (GET /readyz)`);
      }
      await sleep(POLL_MS);
    }
    const readyMs = Math.round(performance.now() - spawnedAt);
    return { readyMs, cpuMs: Math.round(await cpuMs([server.pid])) };
  } finally {
    await server.stop();
  }
}

/** Whether GET `url` answers 200 (a refused connection, a 503 or anything else: not yet). */
function answersOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ask = request(url, { agent: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    ask.on("error", () => resolve(false));
    ask.on("timeout", () => ask.destroy());
    ask.end();
  });
}
