// The stores a network's distance away from the apps that use them (`--store-rtt`): a delay proxy
// of local-infra's in front of each store a cluster is handed (each lane's Redis, the PostgreSQL
// server, the object store), the round trip asked for added to every exchange. Clusters get the
// proxies' addresses; the suite's own look at the stores (faults, checks) goes straight to them.
// What the proxy really adds is measured, not assumed: Redis PINGs through it and around it.
import { DelayProxy } from "@cart/local-infra";
import type { ObjectStoreConfig } from "@cart/s3-kit";
import { connect } from "node:net";
import type { ClusterStores } from "./apps";

/** What a run's stores were measured at: the round trip asked for, and PING's through the proxy and without it. */
export interface MeasuredDistance {
  readonly askedMs: number;
  /** Median of Redis PINGs through the delay proxy. */
  readonly measuredMs: number;
  /** Median of the same PINGs straight to Redis, for the same moment of the same machine. */
  readonly directMs: number;
  /**
   * The fastest PING through the proxy, and straight to Redis: what the proxy adds when the machine
   * lets it keep time (on a busy machine the medians also hold the proxy's own waits for a core).
   */
  readonly fastestMs: number;
  readonly directFastestMs: number;
}

const PINGS = 50;
/** A PING with no answer in this long: the measure fails, rather than the run hanging. */
const PING_TIMEOUT_MS = 2000;
/** The port a store's URL means when it names none. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  "redis:": 6379,
  "postgres:": 5432,
  "postgresql:": 5432,
  "http:": 80,
};

export class StoreDistance {
  /** One proxy per store address, made when a cluster first needs it. */
  private readonly proxies = new Map<string, Promise<DelayProxy>>();

  constructor(private roundTripMs: number) {}

  /** The round trip the proxies add now (ms). */
  get askedMs(): number {
    return this.roundTripMs;
  }

  /** Every proxy, and those made later, at another distance; connections stay open. */
  async moveTo(roundTripMs: number): Promise<void> {
    this.roundTripMs = roundTripMs;
    for (const proxy of await Promise.all(this.proxies.values())) proxy.setRoundTripMs(roundTripMs);
  }

  /** `stores` as a cluster reaches them through the proxies. */
  async away(stores: ClusterStores): Promise<ClusterStores> {
    const { redisUrl, databaseUrl, objectStore } = stores;
    return {
      redisUrl: redisUrl && (await this.through(redisUrl)),
      databaseUrl: databaseUrl && (await this.through(databaseUrl)),
      objectStore: objectStore && (await this.objectStoreThrough(objectStore)),
    };
  }

  /** PINGs to the Redis at `redisUrl`, in turns through its proxy and straight to it. */
  async measure(redisUrl: string): Promise<MeasuredDistance> {
    const proxied = new URL(await this.through(redisUrl));
    const direct = new URL(redisUrl);
    const connected = await Promise.allSettled([pinger(proxied), pinger(direct)]);
    const [through, straight] = connected.map((result) => (result.status === "fulfilled" ? result.value : undefined));
    if (!through || !straight) {
      through?.close();
      straight?.close();
      const failed = connected.find((result) => result.status === "rejected") as PromiseRejectedResult;
      throw new Error(`could not measure the stores' distance: ${(failed.reason as Error).message}`);
    }
    const viaProxy: number[] = [];
    const withoutProxy: number[] = [];
    try {
      for (let i = 0; i < PINGS; i++) {
        viaProxy.push(await through.ping());
        withoutProxy.push(await straight.ping());
      }
    } finally {
      through.close();
      straight.close();
    }
    return {
      askedMs: this.roundTripMs,
      measuredMs: median(viaProxy),
      directMs: median(withoutProxy),
      fastestMs: Math.min(...viaProxy),
      directFastestMs: Math.min(...withoutProxy),
    };
  }

  /** The object store through its proxy; AWS S3 itself (no endpoint) is as far as it is. */
  private async objectStoreThrough(objectStore: ObjectStoreConfig): Promise<ObjectStoreConfig> {
    const { endpoint } = objectStore;
    return endpoint ? { ...objectStore, endpoint: await this.through(endpoint) } : objectStore;
  }

  async close(): Promise<void> {
    const proxies = await Promise.all(this.proxies.values());
    await Promise.all(proxies.map((proxy) => proxy.close()));
  }

  /** `url` with its host and port those of a proxy in front of them. */
  private async through(url: string): Promise<string> {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
    // A proxy on 127.0.0.1 would be the wrong name for the store's certificate.
    if (port === undefined)
      throw new Error(
        `--store-rtt: ${parsed.protocol}// stores (TLS) cannot be put behind the delay proxy; use one without TLS`,
      );
    const key = `${parsed.hostname}:${port}`;
    let proxy = this.proxies.get(key);
    if (!proxy) {
      proxy = DelayProxy.start({
        target: { host: parsed.hostname, port },
        roundTripMs: this.roundTripMs,
      });
      this.proxies.set(key, proxy);
    }
    const started = await proxy;
    parsed.hostname = started.host;
    parsed.port = String(started.port);
    // An endpoint keeps its form (no trailing slash added to a bare origin).
    return url.endsWith("/") || parsed.pathname !== "/" ? parsed.href : parsed.href.replace(/\/$/, "");
  }
}

/** A connection to Redis that times PING → +PONG (RESP needs no client library for that). */
async function pinger(url: URL) {
  const socket = connect({ host: url.hostname, port: Number(url.port) || DEFAULT_PORTS["redis:"]!, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let answered: ((error?: Error) => void) | undefined;
  socket.on("data", () => answered?.());
  socket.on("error", (error) => answered?.(error));
  socket.on("close", () => answered?.(new Error(`Redis at ${url.host} closed the connection`)));
  socket.setTimeout(PING_TIMEOUT_MS, () =>
    answered?.(new Error(`no PONG from Redis at ${url.host} within ${PING_TIMEOUT_MS} ms`)),
  );
  return {
    ping: () =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        answered = (error) => {
          answered = undefined;
          if (error) reject(error);
          else resolve(performance.now() - started);
        };
        socket.write("PING\r\n");
      }),
    close: () => socket.destroy(),
  };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
