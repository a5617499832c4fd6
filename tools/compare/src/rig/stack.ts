// One app's cluster with a balancer in front of it, torn down as one.
import { BuiltinBalancer } from "../balancer/builtin-balancer";
import { HaproxyBalancer } from "../balancer/haproxy-balancer";
import type { LoadBalancer } from "../balancer/load-balancer";
import type { AppName, BalancerKind, RoutingPolicy } from "../vocabulary";
import { Cluster } from "./cluster";

/** Server slots HAProxy keeps for instances added while it runs (scale-out adds one). */
const HAPROXY_SPARE_SLOTS = 2;

export interface Stack {
  readonly cluster: Cluster;
  readonly balancer: LoadBalancer;
}

export interface StackOptions {
  readonly app: AppName;
  readonly instances: number;
  readonly policy: RoutingPolicy;
  readonly lb: BalancerKind;
  readonly redisUrl: string;
  readonly onStart: (id: string, pid: number) => void;
  /** How many instances may be added while it runs (HAProxy needs a slot for each); 2 by default. */
  readonly spareSlots?: number;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { app, instances, policy, lb, redisUrl, onStart } = options;
  const cluster = await Cluster.start(app, instances, redisUrl, onStart);
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
