// N instances of one app as real OS processes on free loopback ports, named `<app>-1..N`, each with
// a disk of its own (a directory: AVATAR_DIR), and the faults the journeys inflict on them: kill -9,
// graceful restart (on the same disk, or on a new machine), scale-out; and scale-in.
import { httpAnswers, startNodeServer, waitUntil, type NodeServer } from "@cart/local-infra";
import { mkdtempSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend } from "../balancer/load-balancer";
import { type AppName } from "../vocabulary";
import { clusterEnv, serverScript, type ClusterStores } from "./apps";

/**
 * How long an instance may take to answer /healthz after it is started. Generous: the whole matrix
 * starts some twenty Node processes side by side, which a busy 2-core machine (a test run beside
 * it) can take well over 10 s to get through. One that never answers still fails the run.
 */
const START_TIMEOUT_MS = 30_000;

/**
 * The disks of every cluster not yet stopped: a run that ends without stopping its clusters
 * (Ctrl-C, a set-up error) still removes them as it exits.
 */
const liveDisks = new Set<string>();
process.on("exit", () => {
  for (const disks of liveDisks) rmSync(disks, { recursive: true, force: true });
});

export class Cluster {
  private readonly instances = new Map<string, NodeServer>();
  /** Starts under way: `stop` waits for them, or their processes would outlive the cluster. */
  private readonly launching = new Set<Promise<void>>();
  private env: NodeJS.ProcessEnv;
  private started = 0;
  /** Where the instances' disks are: one directory each, all removed with the cluster. */
  private readonly disks = mkdtempSync(join(tmpdir(), "cart-disks-"));
  /** Each instance's disk now, and how many machines each id has had (a replacement gets a new disk). */
  private readonly diskOf = new Map<string, string>();
  private machines = 0;

  private constructor(
    readonly app: AppName,
    stores: ClusterStores,
    private readonly onStart: (id: string, pid: number) => void,
  ) {
    this.env = clusterEnv(app, stores);
    liveDisks.add(this.disks);
  }

  static async start(app: AppName, size: number, stores: ClusterStores, onStart: (id: string, pid: number) => void) {
    const cluster = new Cluster(app, stores, onStart);
    // Settled, not just awaited: if one instance fails to start, the others are stopped too.
    const starts = await Promise.allSettled(Array.from({ length: size }, () => cluster.addInstance()));
    const failure = starts.find((start) => start.status === "rejected");
    if (failure) {
      await cluster.stop();
      throw failure.reason;
    }
    // Ready, not only alive, before its first users come: a stateless instance prepares its new
    // database (migrations, the job queue's tables) after it answers /healthz, and a request that
    // needs the database meanwhile waits a second at most, then is answered 503.
    try {
      await Promise.all(
        cluster.ids.map((id) =>
          waitUntil(
            () => httpAnswers(`${cluster.url(id)}/readyz`),
            START_TIMEOUT_MS,
            `${id} was not ready (GET /readyz) ${START_TIMEOUT_MS / 1000} s after it started`,
          ),
        ),
      );
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  get backends(): Backend[] {
    return [...this.instances].map(([id, server]) => ({ id, url: server.url }));
  }

  get ids(): string[] {
    return [...this.instances.keys()];
  }

  /** The ids the next `count` added instances will get. */
  upcomingIds(count: number): string[] {
    return Array.from({ length: count }, (_, i) => this.idOf(this.started + i + 1));
  }

  private idOf(n: number): string {
    return `${this.app}-${n}`;
  }

  url(id: string): string {
    return this.server(id).url;
  }

  pid(id: string): number {
    return this.server(id).process.pid;
  }

  running(id: string): boolean {
    return this.server(id).process.running;
  }

  async addInstance(): Promise<string> {
    const id = this.idOf(++this.started);
    await this.launch(id);
    return id;
  }

  /** kill -9: the process gets no chance to finish anything, as in a crash. */
  async kill(id: string): Promise<void> {
    await this.server(id).process.kill();
  }

  /** Starts a killed instance again on the same port, as a supervisor would after a crash. */
  async revive(id: string): Promise<void> {
    const dead = this.server(id);
    if (dead.process.running) throw new Error(`${id} is still running`);
    await this.launch(id, dead.port);
  }

  /** Adds `changes` to the environment of every instance started from now on (a restart applies them). */
  configure(changes: NodeJS.ProcessEnv): void {
    this.env = { ...this.env, ...changes };
  }

  /**
   * A deploy step: SIGTERM (finish in-flight requests), then start again on the same port. With
   * `newDisk`, the machine is replaced, as cattle are: its disk is thrown away and the new instance,
   * under the same name, starts with a new, empty one.
   */
  async restart(id: string, { newDisk = false }: { newDisk?: boolean } = {}): Promise<void> {
    const old = this.server(id);
    await old.process.stop(5000);
    const oldDisk = this.diskOf.get(id);
    if (newDisk && oldDisk) {
      this.diskOf.delete(id);
      await rm(oldDisk, { recursive: true, force: true });
    }
    await this.launch(id, old.port);
  }

  /**
   * Scale-in: SIGTERM (in-flight requests finish), and the instance is gone. The id of the newest
   * is given again to the next one added (HAProxy keeps a slot, and its cookie, per id).
   */
  async remove(id: string): Promise<void> {
    const server = this.server(id);
    this.instances.delete(id);
    if (id === this.idOf(this.started)) this.started--;
    await server.process.stop();
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.launching);
    await Promise.all([...this.instances.values()].map((server) => server.process.stop()));
    await rm(this.disks, { recursive: true, force: true });
    liveDisks.delete(this.disks);
  }

  /** The instance's disk: the one it had (a restart keeps it), or a new, empty one. */
  private diskFor(id: string): string {
    let disk = this.diskOf.get(id);
    if (!disk) {
      disk = join(this.disks, `${id}.machine-${++this.machines}`);
      this.diskOf.set(id, disk);
    }
    return disk;
  }

  private launch(id: string, port?: number): Promise<void> {
    const env = { ...this.env, INSTANCE_ID: id, AVATAR_DIR: this.diskFor(id) };
    const options = { name: id, script: serverScript(this.app), env, port, startTimeoutMs: START_TIMEOUT_MS };
    const launched = startNodeServer(options).then((server) => {
      this.instances.set(id, server);
      this.onStart(id, server.process.pid);
    });
    this.launching.add(launched);
    const settled = () => void this.launching.delete(launched);
    launched.then(settled, settled);
    return launched;
  }

  private server(id: string): NodeServer {
    const server = this.instances.get(id);
    if (!server) throw new Error(`No instance ${id} in the ${this.app} cluster`);
    return server;
  }
}
