// Runs a built CLI (`pnpm compare` unless told otherwise) as a real process and captures everything it prints.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export interface CliRun {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
}

/** A built command of tools/compare: `command("workshop")` is dist/commands/workshop.js. */
export const command = (name: string) => join(__dirname, "..", "dist", "commands", `${name}.js`);

export const CLI = command("compare");

/** The CLIs a test file started: any still running when a test ends (it timed out) is interrupted. */
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
});

/**
 * Starts a CLI with the test run's stores, but for REDIS_URL (the suite starts its own Redis, to
 * fault it): DATABASE_URL names the run's PostgreSQL, on which it makes its own databases.
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, script = CLI): CliRun {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, REDIS_URL: "", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  child.once("exit", () => started.delete(child));
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, output: () => stdout + stderr };
}

export const runCli = (args: string[], env?: NodeJS.ProcessEnv, script = CLI) => startCli(args, env, script).done;

/** Whether a process (one the CLI started, say) still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
