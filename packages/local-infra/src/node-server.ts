// One app instance as a real OS process: `node <script>` on a free loopback port, considered up
// once GET /healthz answers 200 *with its own instance id*: another process that happens to hold
// the port must not pass for it.
import { freePort } from "./free-port";
import { probe } from "./http-probe";
import { ManagedProcess } from "./managed-process";
import { PortTakenError, waitUntil } from "./wait";

export interface NodeServer {
  readonly process: ManagedProcess;
  readonly port: number;
  readonly url: string;
}

export interface NodeServerOptions {
  /** Also its INSTANCE_ID, unless `env` sets one. */
  readonly name: string;
  readonly script: string;
  /** Node's own flags, before the script (`--cpu-prof`, which NODE_OPTIONS may not carry). */
  readonly nodeArgs?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Defaults to a free port (and another one, should that be taken by the time it listens). */
  readonly port?: number;
  readonly startTimeoutMs?: number;
}

const ATTEMPTS = 3;

export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOn(port, options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || options.port !== undefined || attempt === ATTEMPTS) throw error;
    }
  }
}

async function startOn(
  port: number,
  { name, script, nodeArgs = [], env, startTimeoutMs = 10000 }: NodeServerOptions,
): Promise<NodeServer> {
  const instanceId = env.INSTANCE_ID ?? name;
  const process = await ManagedProcess.start(name, globalThis.process.execPath, [...nodeArgs, script], {
    env: { ...globalThis.process.env, INSTANCE_ID: instanceId, ...env, PORT: String(port), HOST: "127.0.0.1" },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => !process.running || (await answersAs(url, instanceId)),
      startTimeoutMs,
      `${name} did not answer ${url}/healthz within ${startTimeoutMs} ms`,
    );
    if (!process.running) {
      const output = process.recentOutput;
      throw /EADDRINUSE|cannot listen/.test(output)
        ? new PortTakenError(`${name}: port ${port} is taken`)
        : new Error(`${name} exited at start`);
    }
  } catch (error) {
    await process.kill();
    if (error instanceof PortTakenError) throw error;
    throw new Error(`${(error as Error).message}; its output:\n${process.recentOutput}`, { cause: error });
  }
  return { process, port, url };
}

async function answersAs(url: string, instanceId: string): Promise<boolean> {
  const answer = await probe(`${url}/healthz`, { timeoutMs: 1000 });
  if (answer?.status !== 200) return false;
  try {
    return (JSON.parse(answer.body) as { instance?: string }).instance === instanceId;
  } catch {
    return false;
  }
}
