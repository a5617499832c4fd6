// Redis as production runs it when one server is not enough: a primary, a replica that copies it,
// and three Sentinels that watch the primary and, when a majority of them finds it dead, promote
// the replica. Private, on free loopback ports, from the same redis-server binary
// (`redis-server <file> --sentinel`); stopped by PID. `pnpm compare --store sentinel` runs on it,
// and the store-failover journey kills its primary.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port";
import { ManagedProcess } from "./managed-process";
import { askRedisText, LocalRedisServer, type RedisServerOptions } from "./redis-server";
import { waitUntil } from "./wait";

/** The name the Sentinels know the primary by. */
export const SENTINEL_PRIMARY_NAME = "shop";
const SENTINELS = 3;
/** A majority of the three must agree the primary is down before one of them fails over. */
const QUORUM = 2;
/** How long the primary may be silent before a Sentinel thinks it down (Redis's default is 30 s). */
export const DOWN_AFTER_MS = 500;
/**
 * How often a Sentinel pings each server, and the least time between two of its attempts to
 * connect to one (Redis's default: a second). Two limits pull it both ways:
 * - Well under DOWN_AFTER_MS. At the default, a Sentinel that has just switched to the promoted
 *   replica may wait up to a second to connect to it (it tried the dead primary a moment before),
 *   finds it silent for over DOWN_AFTER_MS, calls it down and fails over back to the killed server,
 *   which has just come back as its replica: 7 needless failovers in 40 kills here.
 * - At least a quarter of a second. A Sentinel promotes only a replica whose INFO it read within
 *   the last 5 ping periods, and it reads a replica's INFO once a second during a failover (fixed
 *   in Redis): at 100 ms, the replica's INFO was too old in 1 kill of 40 here
 *   (`-failover-abort-no-good-slave`), and the next try came 4 s later (2 × FAILOVER_TIMEOUT_MS),
 *   a promotion after 5.9 s; in CI, 10.1 s.
 * At 250 ms: 120 kills, no needless failover, no aborted one, promoted after 1.7–1.9 s.
 * Redis's own Sentinel tests set it the same way (SENTINEL DEBUG, runtime only).
 */
const PING_PERIOD_MS = 250;
/**
 * How long one failover attempt may take; a Sentinel whose election failed (the votes split) tries
 * again after twice this. Redis's default, 3 minutes, is for networks slower than loopback.
 */
const FAILOVER_TIMEOUT_MS = 2000;
/**
 * Sentinels find one another through the primary's hello messages, every 2 s: the group is ready
 * once they have. (Told one another's ids in their files instead, they were ready at once, but
 * then took 0.8 s longer to fail over in each of three trials here.)
 */
const READY_TIMEOUT_MS = 15_000;

/** A primary killed: its port, when, and the failover that follows. */
export interface PrimaryKilled {
  readonly port: number;
  readonly killedAt: number;
  /** The new primary, and how long after the kill the Sentinels named it. */
  readonly promoted: Promise<{ readonly port: number; readonly afterMs: number }>;
  /** The killed server is back, as the new primary's replica. */
  readonly rejoined: Promise<void>;
}

export class LocalRedisSentinelGroup {
  private constructor(
    /** The two servers: which is the primary changes with each failover. */
    private readonly servers: readonly LocalRedisServer[],
    private readonly sentinels: readonly { readonly port: number; readonly process: ManagedProcess }[],
    private readonly dir: string,
  ) {}

  /** Starts the primary, its replica and the Sentinels; resolves once the Sentinels know each other and the replica. */
  static async start(options: Pick<RedisServerOptions, "appendOnly"> = {}): Promise<LocalRedisSentinelGroup> {
    const primary = await LocalRedisServer.start(options);
    const started: { stop(): Promise<void> }[] = [primary];
    const dir = await mkdtemp(join(tmpdir(), "cart-sentinels-"));
    try {
      const replica = await LocalRedisServer.start({ ...options, replicaOf: primary.port });
      started.push(replica);
      const sentinels = [];
      for (let index = 1; index <= SENTINELS; index++) {
        const sentinel = await startSentinel(dir, primary.port);
        started.push(sentinel.process);
        sentinels.push(sentinel);
      }
      const group = new LocalRedisSentinelGroup([primary, replica], sentinels, dir);
      await waitUntil(() => group.sentinelsReady(), READY_TIMEOUT_MS, "the Sentinels did not find one another");
      await group.inSync(READY_TIMEOUT_MS);
      return group;
    } catch (error) {
      await Promise.all(started.map((process) => process.stop()));
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** What an app is given as REDIS_URL: the Sentinels to ask, and the primary's name. */
  get url(): string {
    const sentinels = this.sentinels.map(({ port }) => `127.0.0.1:${port}`).join(",");
    return `redis-sentinel://${sentinels}#${SENTINEL_PRIMARY_NAME}`;
  }

  /** Every process of the group, for the reports: each server's role as it started, and the Sentinels. */
  get processes(): { readonly id: string; readonly pid: number }[] {
    return [
      ...this.servers.map((server) => ({ id: `redis-server on port ${server.port}`, pid: server.pid })),
      ...this.sentinels.map(({ port, process }) => ({ id: `redis-sentinel on port ${port}`, pid: process.pid })),
    ];
  }

  /** The port of the primary as the Sentinels name it (the first that answers), or undefined. */
  async primaryPort(): Promise<number | undefined> {
    for (const { port } of this.sentinels) {
      const named = await askRedisText(
        port,
        `SENTINEL get-master-addr-by-name ${SENTINEL_PRIMARY_NAME}`,
        /^\*2\r\n\$\d+\r\n[^\r]+\r\n\$\d+\r\n(\d+)\r\n/,
      );
      if (named) return Number(named);
    }
    return undefined;
  }

  /**
   * kill -9 of the primary. Then, as a supervisor would, once the Sentinels have promoted the
   * replica (`promoted`, how long after the kill), starts the killed server again on its port as
   * the new primary's replica (`rejoined`); started before the failover, it would come back as a
   * primary (and, without its data on disk, an empty one the replica would copy). Resolves once
   * the primary is dead.
   */
  async killPrimary(): Promise<PrimaryKilled> {
    const port = await this.primaryPort();
    const primary = this.servers.find((server) => server.port === port);
    if (!primary?.running) throw new Error("the Sentinels name no running primary");
    await primary.kill();
    const killedAt = Date.now();
    const promoted = this.failedOverFrom(primary.port).then((newPort) => ({
      port: newPort,
      afterMs: Date.now() - killedAt,
    }));
    const rejoined = promoted.then(({ port: newPort }) => primary.startAgain({ replicaOf: newPort }));
    promoted.catch(() => undefined);
    rejoined.catch(() => undefined);
    return { port: primary.port, killedAt, promoted, rejoined };
  }

  /** What the Sentinels said lately about the primary (down, elected, promoted…): their log's notable lines. */
  sentinelEvents(): string[] {
    return this.sentinels.flatMap(({ port, process }) =>
      process.recentOutput
        .split("\n")
        .filter((line) => / # [+-]/.test(line))
        .map((line) => `sentinel ${port}: ${line.replace(/^\d+:X /, "")}`),
    );
  }

  /**
   * Resolves once the primary has a replica online that has everything it had written when asked
   * (writes go on meanwhile: a replica is always a moment behind the very latest); throws after
   * `timeoutMs`. A replica reports how far it got once a second.
   */
  async inSync(timeoutMs: number): Promise<void> {
    let target: { port: number; offset: number } | undefined;
    await waitUntil(
      async () => {
        const port = await this.primaryPort();
        const info =
          port && (await askRedisText(port, "INFO replication", /^\$\d+\r\n([\s\S]*master_repl_offset:\d+\r\n)/));
        const offset = /master_repl_offset:(\d+)/.exec(info || "")?.[1];
        if (!port || offset === undefined) return false;
        // After a failover, what the new primary had written.
        if (target?.port !== port) target = { port, offset: Number(offset) };
        const replicas = [...(info || "").matchAll(/^slave\d+:.*state=online,offset=(\d+)/gm)];
        return replicas.some((replica) => Number(replica[1]) >= target!.offset);
      },
      timeoutMs,
      `no replica caught up with the primary within ${timeoutMs} ms`,
    ).catch((error: unknown) => {
      // A failed run's log is often all there is: say what the Sentinels did meanwhile.
      throw new Error(`${(error as Error).message}; the Sentinels said:\n${this.sentinelEvents().join("\n")}`);
    });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.servers, ...this.sentinels.map(({ process }) => process)].map((one) => one.stop()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The port of the primary the Sentinels promoted in place of `port`. */
  private async failedOverFrom(port: number): Promise<number> {
    let promoted: number | undefined;
    await waitUntil(
      async () => {
        promoted = await this.primaryPort();
        return promoted !== undefined && promoted !== port;
      },
      DOWN_AFTER_MS + FAILOVER_TIMEOUT_MS * 5,
      `the Sentinels did not fail over from port ${port}`,
    );
    return promoted!;
  }

  /** Every Sentinel knows the two others and the replica. */
  private async sentinelsReady(): Promise<boolean> {
    const counts = await Promise.all(
      this.sentinels.map(async ({ port }) => {
        const field = (name: string) =>
          askRedisText(
            port,
            `SENTINEL master ${SENTINEL_PRIMARY_NAME}`,
            new RegExp(`${name}\\r\\n\\$\\d+\\r\\n(\\d+)\\r\\n`),
          );
        return [await field("num-other-sentinels"), await field("num-slaves")];
      }),
    );
    return counts.every(([others, replicas]) => others === String(SENTINELS - 1) && replicas === "1");
  }
}

/** One Sentinel on a free port, its configuration file (which it rewrites as it learns) in `dir`. */
async function startSentinel(dir: string, primaryPort: number) {
  const port = await freePort();
  const file = join(dir, `sentinel-${port}.conf`);
  const name = SENTINEL_PRIMARY_NAME;
  await writeFile(
    file,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${primaryPort} ${QUORUM}`,
      `sentinel down-after-milliseconds ${name} ${DOWN_AFTER_MS}`,
      `sentinel failover-timeout ${name} ${FAILOVER_TIMEOUT_MS}`,
      "",
    ].join("\n"),
  );
  const process = await ManagedProcess.start("redis-sentinel", "redis-server", [file, "--sentinel"]);
  await waitUntil(
    async () => !process.running || (await askRedisText(port, "PING", /^\+(PONG)/)) === "PONG",
    5000,
    `redis-sentinel did not start on port ${port}`,
  );
  if (!process.running) throw new Error(`redis-sentinel exited at start:\n${process.recentOutput}`);
  const pingPeriodSet = await askRedisText(port, `SENTINEL DEBUG ping-period ${PING_PERIOD_MS}`, /^\+(OK)/);
  if (pingPeriodSet !== "OK") {
    await process.stop();
    throw new Error(`redis-sentinel on port ${port} refused SENTINEL DEBUG ping-period (Redis 7.0 or later is needed)`);
  }
  return { port, process };
}
