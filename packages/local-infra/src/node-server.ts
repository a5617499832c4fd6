// One app instance as a real OS process: `node <script>` on a free loopback port, considered
// up once GET /healthz answers 200.
import { freePort } from "./free-port";
import { ManagedProcess } from "./managed-process";
import { httpAnswers, waitUntil } from "./wait";

export interface NodeServer {
  readonly process: ManagedProcess;
  readonly port: number;
  readonly url: string;
}

export interface NodeServerOptions {
  readonly name: string;
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  /** Defaults to a free port. */
  readonly port?: number;
  readonly startTimeoutMs?: number;
}

export async function startNodeServer({
  name,
  script,
  env,
  port,
  startTimeoutMs = 10000,
}: NodeServerOptions): Promise<NodeServer> {
  const chosen = port ?? (await freePort());
  const process = await ManagedProcess.start(name, globalThis.process.execPath, [script], {
    env: { ...globalThis.process.env, ...env, PORT: String(chosen), HOST: "127.0.0.1" },
  });
  const url = `http://127.0.0.1:${chosen}`;
  try {
    await waitUntil(
      async () => !process.running || (await httpAnswers(`${url}/healthz`)),
      startTimeoutMs,
      `${name} did not answer ${url}/healthz within ${startTimeoutMs} ms`,
    );
    if (!process.running) throw new Error(`${name} exited at start`);
  } catch (error) {
    await process.kill();
    throw new Error(`${(error as Error).message}; its output:\n${process.recentOutput}`, { cause: error });
  }
  return { process, port: chosen, url };
}
