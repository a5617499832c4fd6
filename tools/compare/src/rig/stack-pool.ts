// Booting a cluster costs far more than most journeys, so a stack is reused by the next journey
// that wants the same app and routing — but only while it is intact: the same instances, all
// running. A journey that killed or added an instance leaves it to be stopped.
import type { AppName, RoutingPolicy } from "../vocabulary";
import type { Stack } from "./stack";
import type { TestBed } from "./test-bed";

export class StackPool {
  private readonly idle = new Map<string, Stack>();

  constructor(
    private readonly bed: TestBed,
    private readonly instances: number,
  ) {}

  async acquire(app: AppName, policy: RoutingPolicy): Promise<Stack> {
    const key = keyOf(app, policy);
    const stack = this.idle.get(key);
    this.idle.delete(key);
    return stack ?? this.bed.startStack(app, { instances: this.instances, policy });
  }

  async release(stack: Stack): Promise<void> {
    const { cluster, balancer } = stack;
    const intact = cluster.ids.length === this.instances && cluster.ids.every((id) => cluster.running(id));
    const key = keyOf(cluster.app, balancer.policy);
    if (intact && !this.idle.has(key)) this.idle.set(key, stack);
    else await this.bed.stopStack(stack);
  }
}

const keyOf = (app: string, policy: RoutingPolicy) => `${app}/${policy}`;
