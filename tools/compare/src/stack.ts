// One app's cluster with a balancer in front of it, torn down as one.
import type { AppName } from "./apps";
import { BuiltinBalancer } from "./balancer/builtin-balancer";
import type { LoadBalancer, RoutingPolicy } from "./balancer/load-balancer";
import { Cluster } from "./cluster";

export const DEFAULT_POLICY: Record<AppName, RoutingPolicy> = { stateful: "sticky", stateless: "round-robin" };

export interface Stack {
  readonly cluster: Cluster;
  readonly balancer: LoadBalancer;
}

export interface StackOptions {
  readonly app: AppName;
  readonly instances: number;
  readonly policy: RoutingPolicy;
  readonly redisUrl: string;
  readonly onStart: (id: string, pid: number) => void;
}

export async function startStack({ app, instances, policy, redisUrl, onStart }: StackOptions): Promise<Stack> {
  const cluster = await Cluster.start(app, instances, redisUrl, onStart);
  try {
    return { cluster, balancer: await BuiltinBalancer.start(policy, cluster.backends) };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

export async function stopStack({ cluster, balancer }: Stack): Promise<void> {
  await Promise.all([balancer.close(), cluster.stop()]);
}
