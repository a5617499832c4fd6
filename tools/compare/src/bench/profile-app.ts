// `pnpm bench --profile`: one instance of an app, started with `node --cpu-prof`, driven straight
// with the bench's mix, then stopped gracefully (V8 writes the profile as the process exits) and
// summarised by package. The profile itself is kept for Chrome DevTools or speedscope.
import { startNodeServer } from "@cart/local-infra";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serverScript } from "../rig/apps";
import type { TestBed } from "../rig/test-bed";
import type { Architecture } from "../vocabulary";
import { summariseProfile, type CpuProfile, type ProfileSummary, type Window } from "./cpu-profile";
import { logInUsers, runLoadProcess } from "./run-load";
import type { BenchOptions } from "./settings";

export interface AppProfile extends ProfileSummary {
  /** The `.cpuprofile` file, for a closer look. */
  readonly file: string;
  /** What the profiled instance served (profiling slows it a little). */
  readonly requestsPerSecond: number;
}

export async function profileApp(
  app: Architecture,
  bed: TestBed,
  options: BenchOptions & { readonly profileDir: string },
): Promise<AppProfile> {
  const name = `${app}-profiled`;
  const fileName = `${app}.cpuprofile`;
  const server = await startNodeServer({
    name,
    script: serverScript(app),
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${fileName}`],
    env: { ...(await bed.instanceEnv(app)), INSTANCE_ID: name },
  });
  let requestsPerSecond: number;
  let window: Window;
  try {
    const users = await logInUsers(server.url, options.users);
    const job = { url: server.url, connections: options.connections, users };
    await runLoadProcess({ ...job, seconds: options.warmUpSeconds });
    // Only the measured run counts: not start-up, nor the logins (the stateful app's scrypt).
    const fromUs = microseconds();
    requestsPerSecond = (await runLoadProcess({ ...job, seconds: options.seconds })).requestsPerSecond;
    window = { fromUs, toUs: microseconds() };
  } finally {
    await server.process.stop(10_000); // writing a profile of a busy process takes a moment
  }
  const file = join(options.profileDir, fileName);
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  return { ...summariseProfile(profile, window), file, requestsPerSecond };
}

const microseconds = () => Number(process.hrtime.bigint() / 1000n);
