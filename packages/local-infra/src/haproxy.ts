// A real `haproxy` process for one run: its config written to a temp directory, run in the
// foreground (-db) so that we own its PID, and its runtime API (a unix socket) for changes made
// while it runs: servers added, drained, put back.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManagedProcess } from "./managed-process";
import { isNotOnPath, MissingToolError } from "./missing-tool";
import { freePort } from "./free-port";
import { PortTakenError, portAnswers, waitUntil } from "./wait";

export class HaproxyMissingError extends MissingToolError {
  constructor() {
    super(
      "haproxy is not on PATH: install HAProxy (Debian/Ubuntu: apt-get install haproxy; macOS: brew install haproxy) or leave out --lb haproxy to use the built-in balancer",
    );
  }
}

export interface HaproxyPlaces {
  /** Where the runtime API listens: put it in the config's `stats socket` line. */
  readonly adminSocket: string;
  /** Free loopback ports for the frontend and the stats page. */
  readonly port: number;
  readonly statsPort: number;
}

export class LocalHaproxy {
  private constructor(
    private readonly dir: string,
    private readonly adminSocket: string,
    readonly port: number,
    private readonly process: ManagedProcess,
  ) {}

  /** Throws HaproxyMissingError unless `haproxy` is on PATH: a check before anything is started. */
  static async ensureInstalled(): Promise<void> {
    const check = await ManagedProcess.start("haproxy -v", "haproxy", ["-v"]).catch((error: unknown) => {
      throw isNotOnPath(error) ? new HaproxyMissingError() : error;
    });
    await check.exited;
  }

  /** Starts haproxy with the configuration `config` renders for the places it is given. */
  static async start(name: string, config: (places: HaproxyPlaces) => string): Promise<LocalHaproxy> {
    // Another process may take a free port before haproxy binds it: then try other ports.
    for (let attempt = 1; ; attempt++) {
      const dir = await mkdtemp(join(tmpdir(), "cart-haproxy-"));
      const places = { adminSocket: join(dir, "admin.sock"), port: await freePort(), statsPort: await freePort() };
      try {
        return await LocalHaproxy.startIn(dir, name, places, config(places));
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        if (!(error instanceof PortTakenError) || attempt === 3) throw error;
      }
    }
  }

  private static async startIn(
    dir: string,
    name: string,
    places: HaproxyPlaces,
    config: string,
  ): Promise<LocalHaproxy> {
    const file = join(dir, "haproxy.cfg");
    await writeFile(file, config);
    const process = await ManagedProcess.start(name, "haproxy", ["-db", "-f", file]).catch((error: unknown) => {
      throw isNotOnPath(error) ? new HaproxyMissingError() : error;
    });
    const haproxy = new LocalHaproxy(dir, places.adminSocket, places.port, process);
    // Its own runtime API answers only once it has bound every listener, so the port is really its.
    const ready = async () => (await haproxy.command("show info")).includes("Pid:") && portAnswers(places.port);
    try {
      await waitUntil(async () => !process.running || (await ready()), 5000, `${name} did not start`);
      if (!process.running) {
        throw /cannot bind|Address already in use/i.test(process.recentOutput)
          ? new PortTakenError(`${name}: a port is taken`)
          : new Error(`${name} exited at start:\n${process.recentOutput}`);
      }
    } catch (error) {
      await process.kill();
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
      const socket = connect(this.adminSocket);
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
    await rm(this.dir, { recursive: true, force: true });
  }
}
