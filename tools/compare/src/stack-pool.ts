// Booting a cluster costs far more than most journeys, so a stack is reused by the next journey
// that wants the same app and routing — but only while it is intact: the same instances, all
// running. A journey that killed or added an instance leaves it to be stopped.
import type { RoutingPolicy } from "./balancer/load-balancer";
import { startStack, stopStack, type Stack, type StackOptions } from "./stack";

/** Where a journey gets its stack from, and gives it back to. */
export interface Stacks {
  acquire(options: StackOptions): Promise<Stack>;
  /** `instances`: how many the stack had when it was acquired. */
  release(stack: Stack, instances: number): Promise<void>;
}

export class StackPool implements Stacks {
  private readonly idle = new Map<string, Stack>();

  async acquire(options: StackOptions): Promise<Stack> {
    const key = keyOf(options.app, options.policy);
    const stack = this.idle.get(key);
    this.idle.delete(key);
    return stack ?? startStack(options);
  }

  async release(stack: Stack, instances: number): Promise<void> {
    const { cluster, balancer } = stack;
    const intact = cluster.ids.length === instances && cluster.ids.every((id) => cluster.running(id));
    const key = keyOf(cluster.app, balancer.policy);
    if (intact && !this.idle.has(key)) this.idle.set(key, stack);
    else await stopStack(stack);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.idle.values()].map(stopStack));
    this.idle.clear();
  }
}

const keyOf = (app: string, policy: RoutingPolicy) => `${app}/${policy}`;
