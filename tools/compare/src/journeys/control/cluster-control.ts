// Control of a local stack: real processes to kill and restart (with a new configuration, too), a
// balancer to drain and extend, the suite's own Redis to freeze and restart, or its Sentinel
// group's primary to kill. Each fault is reported in words as it happens.
import { httpAnswers, waitUntil } from "@cart/local-infra";
import type { SharedFailover } from "../../rig/shared-failover";
import type { SharedStoreFault } from "../../rig/shared-store-fault";
import type { Stack } from "../../rig/stack";
import type { Control } from "./control";

const STORE_RECONNECT_MS = 5000;
/** A replica's first copy of a small data set takes well under a second; a rejoin after a failover too. */
const REPLICA_SYNC_MS = 15_000;
const REPLACED_LIVE_MS = 5000;
/** How long a started server may take to be ready: a busy machine, its database's preparation. */
const READY_MS = 15_000;

export interface ClusterControlOptions {
  readonly stack: Stack;
  /** Freezes or restarts the suite's own Redis; absent when REDIS_URL was given (nothing of ours to fault). */
  readonly storeFault: SharedStoreFault | undefined;
  /** Fails over the suite's Redis Sentinel group; absent without --store sentinel. */
  readonly storeFailover?: SharedFailover | undefined;
  readonly fault: (what: string) => void;
  /** `reconfigured`: the servers now run with another configuration, so the stack is not for reuse. */
  readonly release: (reconfigured: boolean) => Promise<void>;
}

export function clusterControl({ stack, storeFault, storeFailover, fault, release }: ClusterControlOptions): Control {
  const { cluster, balancer } = stack;
  // Whether this journey has reached the shared store fault, and holds Redis frozen.
  let arrived = false;
  let frozen = false;
  let reconfigured = false;
  const sentinel = () => {
    if (!storeFailover) throw new Error("this journey needs --store sentinel");
    return storeFailover;
  };
  const resumeStore = () => {
    if (!frozen) return;
    frozen = false;
    fault("Redis resumed (SIGCONT)");
    storeFault?.resume();
  };

  // A started server takes users once it is ready, as a deploy's readiness check lets it: a
  // stateless one prepares its database after it answers /healthz, and a request that needs the
  // database meanwhile waits a second at most, then is answered 503.
  const ready = (id: string) =>
    waitUntil(
      () => httpAnswers(`${cluster.url(id)}/readyz`),
      READY_MS,
      `${id} was not ready (GET /readyz) ${READY_MS / 1000} s after it started`,
    );
  // As a real deploy does: out of the balancer's rotation first, so that no new request meets a
  // server that is closing; in-flight ones finish, then `work` (SIGTERM, start), and once the new
  // process is ready, back into rotation.
  const drained = async (id: string, work: () => Promise<void>) => {
    await balancer.drain(id);
    try {
      await work();
      await ready(id);
    } finally {
      await balancer.restore(id);
    }
  };

  return {
    instanceIds: () => cluster.ids,
    askEveryInstance: (path, headers) =>
      Promise.all(
        cluster.ids.map(async (instance) => {
          const response = await fetch(`${cluster.url(instance)}${path}`, { headers });
          await response.body?.cancel();
          return { instance, status: response.status };
        }),
      ),
    instanceRunning: (id) => cluster.running(id),
    kill: (id) => {
      fault(`kill -9 ${id}`);
      return cluster.kill(id);
    },
    revive: async (id) => {
      await cluster.revive(id);
      fault(`${id} started again (empty memory)`);
    },
    restart: async (id) => {
      fault(`restart ${id} (drain at the balancer, SIGTERM, start again)`);
      await drained(id, () => cluster.restart(id));
    },
    replace: async (id) => {
      fault(`replace ${id} by a new machine (drain at the balancer, SIGTERM, a new instance with a new, empty disk)`);
      await drained(id, () => cluster.restart(id, { newDisk: true }));
      // The story goes on once the new machine is in rotation, as a deploy waits for it.
      await waitUntil(
        async () => (await balancer.liveIds()).includes(id),
        REPLACED_LIVE_MS,
        `the balancer did not send traffic to the new ${id} within ${REPLACED_LIVE_MS} ms`,
      );
    },
    addInstance: async () => {
      const id = await cluster.addInstance();
      await ready(id);
      await balancer.setBackends(cluster.backends);
      fault(`${id} added behind the balancer`);
      return id;
    },
    freezeStore: async () => {
      arrived = frozen = true;
      await storeFault?.freeze();
      fault("Redis frozen (SIGSTOP)");
    },
    resumeStore,
    restartStore: async ({ empty = false } = {}) => {
      arrived = true;
      await storeFault?.restart({ empty });
      fault(
        empty
          ? "Redis restarted empty (SIGTERM, its data deleted, started again: a Redis without persistence)"
          : "Redis restarted (SIGTERM, started again on the same port and data directory)",
      );
      // The users' next step is judged only once every instance has reconnected.
      await Promise.all(
        cluster.ids.map((id) =>
          waitUntil(
            () => httpAnswers(`${cluster.url(id)}/readyz`),
            STORE_RECONNECT_MS,
            `${id} was not ready ${STORE_RECONNECT_MS} ms after Redis restarted`,
          ),
        ),
      );
    },
    reconfigure: async (env) => {
      const changes = Object.entries(env).map(([name, value]) => `${name}=${value}`);
      reconfigured = true;
      cluster.configure(env);
      for (const id of cluster.ids) {
        fault(`restart ${id} with ${changes.join(" ")} (drain at the balancer, SIGTERM, start again)`);
        await drained(id, () => cluster.restart(id));
      }
    },
    killStorePrimary: async () => {
      const failover = await sentinel().killPrimary();
      fault(`kill -9 the Redis primary (port ${failover.port}); the Sentinels are to promote its replica`);
      return failover;
    },
    storeReplicated: () => sentinel().group.inSync(REPLICA_SYNC_MS),
    sentinelEvents: () => sentinel().group.sentinelEvents(),
    finish: async () => {
      resumeStore();
      if (!arrived) storeFault?.leave();
      storeFailover?.leave();
      await release(reconfigured);
    },
  };
}
