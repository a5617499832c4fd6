// A private redis-server for one test run or one comparison: its own free loopback port and its
// own temp directory, so it never touches (or depends on) a Redis the machine already runs.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort } from "./free-port";
import { ManagedProcess } from "./managed-process";
import { isNotOnPath, MissingToolError } from "./missing-tool";
import { PortTakenError, waitUntil } from "./wait";

export class RedisServerMissingError extends MissingToolError {
  constructor() {
    super(
      "redis-server is not on PATH: install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis you own",
    );
  }
}

export interface RedisServerOptions {
  /** Append-only file on, so a restart keeps the data (default off: nothing on disk). */
  readonly appendOnly?: boolean;
  /** The port of a primary on 127.0.0.1 to replicate (a replica); none: a primary. */
  readonly replicaOf?: number;
}

export class LocalRedisServer {
  private process: ManagedProcess;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private options: RedisServerOptions,
    process: ManagedProcess,
  ) {
    this.process = process;
  }

  static async start(options: RedisServerOptions = {}): Promise<LocalRedisServer> {
    const dir = await mkdtemp(join(tmpdir(), "cart-redis-"));
    // Another process may take the free port before redis-server binds it: then try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return new LocalRedisServer(port, dir, options, await LocalRedisServer.spawn(port, dir, options));
      } catch (error) {
        if (!(error instanceof PortTakenError) || attempt === 3) {
          await rm(dir, { recursive: true, force: true });
          throw error;
        }
      }
    }
  }

  private static async spawn(port: number, dir: string, options: RedisServerOptions): Promise<ManagedProcess> {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
    args.push("--appendonly", options.appendOnly ? "yes" : "no");
    // A replica's first copy starts at once (Redis waits 5 s by default, for more replicas to share it).
    args.push("--repl-diskless-sync-delay", "0");
    if (options.replicaOf) args.push("--replicaof", "127.0.0.1", String(options.replicaOf));
    const process = await ManagedProcess.start("redis-server", "redis-server", args).catch((error: unknown) => {
      throw isNotOnPath(error) ? new RedisServerMissingError() : error;
    });
    // Ready once the server on the port is this very process (not another one on the same port).
    await waitUntil(
      async () => !process.running || (await redisProcessId(port)) === process.pid,
      5000,
      `redis-server did not start on port ${port}`,
    ).catch(async (error: unknown) => {
      await process.kill();
      throw error;
    });
    if (!process.running) {
      throw /Address already in use/i.test(process.recentOutput)
        ? new PortTakenError(`port ${port} is taken`)
        : new Error(`redis-server exited at start:\n${process.recentOutput}`);
    }
    return process;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.process.pid;
  }

  /** How many keys it holds (DBSIZE); undefined if it does not answer within a second (frozen). */
  keyCount(): Promise<number | undefined> {
    return askRedis(this.port, "DBSIZE", /^:(\d+)\r\n/);
  }

  /**
   * How many of its keys match `pattern` (a glob without spaces or quotes, e.g. `sess:*`); undefined
   * if it does not answer within a second. KEYS, run inside Redis: for the small stores of a demo.
   */
  keyCountMatching(pattern: string): Promise<number | undefined> {
    if (!/^[^\s"'\\]+$/.test(pattern)) throw new Error(`not a plain key pattern: ${pattern}`);
    return askRedis(this.port, `EVAL "return #redis.call('KEYS', ARGV[1])" 0 ${pattern}`, /^:(\d+)\r\n/);
  }

  /** SIGSTOP: the server keeps its connections open but answers nothing (a hung store). */
  freeze(): void {
    this.process.signal("SIGSTOP");
  }

  resume(): void {
    this.process.signal("SIGCONT");
  }

  /** Stops the server process (SIGTERM), keeping its port and directory for `startAgain`. */
  async halt(): Promise<void> {
    await this.process.stop();
  }

  /** Starts it again on its port and directory (as the replica of another primary, say). */
  async startAgain(changes: RedisServerOptions = {}): Promise<void> {
    this.options = { ...this.options, ...changes };
    this.process = await LocalRedisServer.spawn(this.port, this.dir, this.options);
  }

  get running(): boolean {
    return this.process.running;
  }

  /** kill -9: the server is gone at once, with whatever it had not yet sent to its replicas. */
  async kill(): Promise<void> {
    await this.process.kill();
  }

  /**
   * SIGTERM, then start again on the same port and directory: with AOF on, data survives. With
   * `forget`, whatever it wrote to disk is deleted in between: it comes back empty, as a Redis
   * without persistence does.
   */
  async restart({ forget = false }: { forget?: boolean } = {}): Promise<void> {
    await this.halt();
    if (forget) {
      const files = await readdir(this.dir);
      await Promise.all(files.map((file) => rm(join(this.dir, file), { recursive: true, force: true })));
    }
    await this.startAgain();
  }

  async stop(): Promise<void> {
    await this.process.stop(); // resumes a frozen server first, or it would not act on SIGTERM
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The PID of the redis-server answering on `port` (INFO server), or undefined. */
function redisProcessId(port: number): Promise<number | undefined> {
  return askRedis(port, "INFO server", /process_id:(\d+)/);
}

/** askRedisText, for a number. */
async function askRedis(port: number, command: string, answer: RegExp): Promise<number | undefined> {
  const text = await askRedisText(port, command, answer);
  return text === undefined ? undefined : Number(text);
}

/**
 * One inline command on a fresh connection; resolves with what `answer` captures, or undefined if
 * nothing answers within a second (a frozen or absent server). No client library: local-infra has
 * no dependencies, and a few commands do not need one.
 */
export function askRedisText(port: number, command: string, answer: RegExp): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let received = "";
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
      const match = answer.exec(received);
      if (match) {
        socket.destroy();
        resolve(match[1]);
      }
    });
    socket.on("close", () => resolve(undefined));
    socket.on("error", () => resolve(undefined));
  });
}
