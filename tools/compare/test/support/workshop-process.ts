// `pnpm workshop` as a real process on a free port, for the browser test and the screenshot
// script: started, its dashboard's address read from what it prints, stopped with Ctrl-C (SIGINT).
import { spawn } from "node:child_process";
import { join } from "node:path";

const CLI = join(__dirname, "..", "..", "dist", "commands", "workshop.js");
const START_TIMEOUT_MS = 60_000;

export interface WorkshopProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C; resolves with its exit code once it has stopped everything it started. */
  stop(): Promise<number | null>;
}

export function startWorkshopProcess(args: string[] = []): Promise<WorkshopProcess> {
  const child = spawn(process.execPath, [CLI, "--port", "0", ...args], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGINT");
      reject(new Error(`pnpm workshop printed no address within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Dashboard: (http:\/\/\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout.off("data", read);
      child.stdout.on("data", (more: Buffer) => (output += more.toString()));
      resolve({
        url,
        pid: child.pid!,
        output: () => output,
        stop: () => {
          child.kill("SIGINT");
          return exited;
        },
      });
    };
    child.stdout.on("data", read);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`pnpm workshop exited (${code}) before serving its dashboard:\n${output}`));
    });
  });
}
