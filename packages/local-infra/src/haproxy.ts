// A real `haproxy` process for one run: its config written to a temp directory, run in the
// foreground (-db) so that we own its PID, and its runtime API (a unix socket) for changes made
// while it runs: servers added, drained, put back.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManagedProcess } from "./managed-process";
import { isNotOnPath, MissingToolError } from "./missing-tool";
import { portAnswers, waitUntil } from "./wait";

export class HaproxyMissingError extends MissingToolError {
  constructor() {
    super(
      "haproxy is not on PATH: install HAProxy (Debian/Ubuntu: apt-get install haproxy; macOS: brew install haproxy) or leave out --lb haproxy to use the built-in balancer",
    );
  }
}

export interface HaproxyFiles {
  readonly dir: string;
  /** Where the runtime API listens: put it in the config's `stats socket` line. */
  readonly adminSocket: string;
}

export class LocalHaproxy {
  private constructor(
    private readonly files: HaproxyFiles,
    private readonly process: ManagedProcess,
  ) {}

  /** Throws HaproxyMissingError unless `haproxy` is on PATH: a check before anything is started. */
  static async ensureInstalled(): Promise<void> {
    const check = await ManagedProcess.start("haproxy -v", "haproxy", ["-v"]).catch((error: unknown) => {
      throw isNotOnPath(error) ? new HaproxyMissingError() : error;
    });
    await check.exited;
  }

  /** A fresh directory for one haproxy's files; `config` is given the runtime API's socket path. */
  static async start(name: string, port: number, config: (files: HaproxyFiles) => string): Promise<LocalHaproxy> {
    const dir = await mkdtemp(join(tmpdir(), "cart-haproxy-"));
    const files = { dir, adminSocket: join(dir, "admin.sock") };
    const file = join(dir, "haproxy.cfg");
    await writeFile(file, config(files));
    const process = await ManagedProcess.start(name, "haproxy", ["-db", "-f", file]).catch(async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw isNotOnPath(error) ? new HaproxyMissingError() : error;
    });
    const haproxy = new LocalHaproxy(files, process);
    try {
      await waitUntil(
        async () => !process.running || (await portAnswers(port)),
        5000,
        `${name} did not listen on ${port}`,
      );
      if (!process.running) throw new Error(`${name} exited at start:\n${process.recentOutput}`);
    } catch (error) {
      await haproxy.stop();
      throw error;
    }
    return haproxy;
  }

  get pid(): number {
    return this.process.pid;
  }

  /** One runtime API command (e.g. `show stat`); resolves with HAProxy's answer. */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.files.adminSocket);
      let answer = "";
      socket.setEncoding("utf8");
      socket.on("connect", () => socket.end(`${line}\n`));
      socket.on("data", (chunk: string) => (answer += chunk));
      socket.on("end", () => resolve(answer.trim()));
      socket.on("error", reject);
    });
  }

  async stop(): Promise<void> {
    await this.process.stop();
    await rm(this.files.dir, { recursive: true, force: true });
  }
}
