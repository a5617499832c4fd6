// One app's cluster with a balancer in front of it, torn down as one, and repaired as one.
import { waitUntil } from "@cart/local-infra";
import { BuiltinBalancer } from "../balancer/builtin-balancer";
import { HaproxyBalancer } from "../balancer/haproxy-balancer";
import type { LoadBalancer } from "../balancer/load-balancer";
import type { AppName, BalancerKind, RoutingPolicy } from "../vocabulary";
import type { ClusterStores } from "./apps";
import { Cluster } from "./cluster";

/** Server slots HAProxy keeps for instances added while it runs (scale-out adds one). */
const HAPROXY_SPARE_SLOTS = 2;
/** How long a repaired stack's balancer may take to see every instance healthy again. */
const LIVE_AGAIN_MS = 5000;

export interface Stack {
  readonly cluster: Cluster;
  readonly balancer: LoadBalancer;
}

export interface StackOptions {
  readonly app: AppName;
  readonly instances: number;
  readonly policy: RoutingPolicy;
  readonly lb: BalancerKind;
  readonly stores: ClusterStores;
  readonly onStart: (id: string, pid: number) => void;
  /** How many instances may be added while it runs (HAProxy needs a slot for each); 2 by default. */
  readonly spareSlots?: number;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { app, instances, policy, lb, stores, onStart } = options;
  const cluster = await Cluster.start(app, instances, stores, onStart);
  try {
    if (lb === "builtin") return { cluster, balancer: await BuiltinBalancer.start(policy, cluster.backends) };
    const slots = cluster.upcomingIds(options.spareSlots ?? HAPROXY_SPARE_SLOTS);
    const balancer = await HaproxyBalancer.start({ name: app, policy, backends: cluster.backends, slots });
    onStart("haproxy", balancer.pid);
    return { cluster, balancer };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

export async function stopStack({ cluster, balancer }: Stack): Promise<void> {
  await Promise.all([balancer.close(), cluster.stop()]);
}

/**
 * Puts a stack a journey has faulted back to `size` healthy instances, as an operator would: one
 * added beyond it is taken out of the balancer and stopped, a killed one is started again on its
 * port (with empty memory). Resolves once the balancer sends new clients to every instance.
 */
export async function repairStack({ cluster, balancer }: Stack, size: number): Promise<void> {
  const extra = cluster.ids.slice(size);
  if (extra.length > 0) {
    await balancer.setBackends(cluster.backends.filter(({ id }) => !extra.includes(id)));
    await Promise.all(extra.map((id) => cluster.remove(id)));
  }
  await Promise.all(cluster.ids.filter((id) => !cluster.running(id)).map((id) => cluster.revive(id)));
  await waitUntil(
    async () => (await balancer.liveIds()).length === cluster.ids.length,
    LIVE_AGAIN_MS,
    `the ${cluster.app} balancer did not see all ${size} instances healthy ${LIVE_AGAIN_MS} ms after a repair`,
  );
}
