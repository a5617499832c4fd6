// A private PostgreSQL for one test run or one comparison, as LocalRedisServer is for Redis: a
// fresh cluster in a temp directory of its own, on a free loopback port, stopped by PID. initdb
// costs seconds, so it runs once per machine and PostgreSQL build: each start copies that pristine
// cluster, which takes a fraction of one.
// PostgreSQL refuses to run as root, so when we are root (CI, containers) it runs as an
// unprivileged user (`postgres` if the machine has one, else `nobody`) that owns the directory.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { chown, mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";
import { ManagedProcess } from "./managed-process";
import { findPostgresBinaries, type PostgresBinaries } from "./postgres-binaries";
import { PortTakenError, waitUntil } from "./wait";

const START_TIMEOUT_MS = 15_000;
/**
 * A throwaway cluster: nothing it writes needs to survive a power cut (no fsync), but what it has
 * acknowledged survives a crash of its own (`crash`): a commit is written to the operating system
 * before it is acknowledged (synchronous_commit stays on), as a real database's is.
 */
const THROWAWAY = ["-c", "fsync=off", "-c", "full_page_writes=off"];

export class LocalPostgresServer {
  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly binaries: PostgresBinaries,
    private process: ManagedProcess,
    private readonly owner: Owner | undefined,
  ) {}

  static async start(env: NodeJS.ProcessEnv = process.env): Promise<LocalPostgresServer> {
    const binaries = await findPostgresBinaries(env);
    const dir = await mkdtemp(join(tmpdir(), "cart-postgres-"));
    try {
      const owner = runAs();
      if (owner) await chown(dir, owner.uid, owner.gid);
      // -a keeps the owner (the unprivileged user's, when we are root) and the folder's 0700.
      await promisify(execFile)("cp", ["-a", await pristineCluster(binaries, owner), join(dir, "data")]);
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        try {
          const server = await LocalPostgresServer.spawn(binaries, dir, port, owner);
          return new LocalPostgresServer(port, dir, binaries, server, owner);
        } catch (error) {
          if (!(error instanceof PortTakenError) || attempt === 3) throw error;
        }
      }
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private static async spawn(
    binaries: PostgresBinaries,
    dir: string,
    port: number,
    owner: Owner | undefined,
  ): Promise<ManagedProcess> {
    const args = ["-D", join(dir, "data"), "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"];
    const server = await ManagedProcess.start("postgres", join(binaries.dir, "postgres"), [...args, ...THROWAWAY], {
      ...owner,
      stopSignal: "SIGINT",
    });
    // Ready when the postmaster says so in its pid file (its 8th line), not merely listening.
    await waitUntil(
      async () => !server.running || (await postmasterStatus(dir)) === "ready",
      START_TIMEOUT_MS,
      `PostgreSQL did not start on port ${port}`,
    ).catch(async (error: unknown) => {
      await server.kill();
      throw error;
    });
    if (!server.running) {
      throw /could not bind|Address already in use/i.test(server.recentOutput)
        ? new PortTakenError(`port ${port} is taken`)
        : new Error(`PostgreSQL exited at start:\n${server.recentOutput}`);
    }
    return server;
  }

  /** The superuser's URL (trust authentication, loopback only); `database` defaults to postgres. */
  url(database = "postgres"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get pid(): number {
    return this.process.pid;
  }

  /**
   * SIGSTOP to the postmaster and every process it started (one per session, and its helpers):
   * connections stay open but nothing answers, as with a hung database. Until `resume`.
   */
  freeze(): void {
    for (const pid of [this.pid, ...childrenOf(this.pid)]) process.kill(pid, "SIGSTOP");
  }

  resume(): void {
    for (const pid of [this.pid, ...childrenOf(this.pid)]) process.kill(pid, "SIGCONT");
  }

  /**
   * Immediate shutdown (SIGQUIT, what `pg_ctl -m immediate stop` sends): every session is cut at
   * once and nothing is written out, as in a crash; the next start recovers from the WAL. Keeps
   * the port and the directory for `startAgain`.
   */
  async crash(): Promise<void> {
    this.process.signal("SIGQUIT");
    await this.process.exited;
  }

  /** Starts it again on its port and directory, with what it had committed; resolves once it is ready. */
  async startAgain(): Promise<void> {
    this.process = await LocalPostgresServer.spawn(this.binaries, this.dir, this.port, this.owner);
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Fast shutdown (SIGINT: open sessions are ended, not waited for), then the directory goes. */
  async stop(): Promise<void> {
    await this.process.stop(5000);
    await rm(this.dir, { recursive: true, force: true });
  }
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/** Who PostgreSQL runs as: nobody else unless we are root, which it refuses. */
function runAs(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ["postgres", "nobody"]) {
    try {
      const id = (flag: string) => Number(execFileSync("id", [flag, user], { encoding: "utf8" }).trim());
      return { uid: id("-u"), gid: id("-g") };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error("PostgreSQL cannot run as root, and this machine has no postgres or nobody user to run it as");
}

/**
 * A cluster initdb made for these binaries and this owner, never started, under the system's temp
 * directory: made once (in a folder of its own, renamed into place when complete, so a run that
 * stops half-way or runs beside another leaves nothing half-made), then copied by every start.
 */
async function pristineCluster(binaries: PostgresBinaries, owner: Owner | undefined): Promise<string> {
  const initdbPath = join(binaries.dir, "initdb");
  const build = `${binaries.dir}:${statSync(initdbPath).mtimeMs}:${owner?.uid ?? process.getuid?.()}`;
  const home = join(
    tmpdir(),
    `cart-postgres-pristine-${createHash("sha256").update(build).digest("hex").slice(0, 12)}`,
  );
  const data = join(home, "data");
  if (existsSync(join(data, "PG_VERSION"))) return data;
  const staging = `${home}.${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  try {
    if (owner) await chown(staging, owner.uid, owner.gid);
    const initdb = ["-D", join(staging, "data"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"];
    await run(initdbPath, [...initdb, "--locale=C"], owner);
    await rename(staging, home).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(join(data, "PG_VERSION"))) throw error; // another process made it first: theirs will do
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return data;
}

/** Runs a program to its end; rejects with its output if it fails. */
async function run(program: string, args: string[], owner: Owner | undefined): Promise<void> {
  const child = await ManagedProcess.start(program.split("/").pop()!, program, args, { ...owner });
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`${program} ${args.join(" ")} failed (exit ${code}):\n${child.recentOutput}`);
}

/** The postmaster's state from postmaster.pid ("starting", "ready", "stopping"), if it has one yet. */
async function postmasterStatus(dir: string): Promise<string | undefined> {
  const pidFile = await readFile(join(dir, "data", "postmaster.pid"), "utf8").catch(() => "");
  return pidFile.split("\n")[7]?.trim() || undefined;
}

/** The PIDs of a process's children (pgrep -P), none if it has none. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when it finds none
  }
}
