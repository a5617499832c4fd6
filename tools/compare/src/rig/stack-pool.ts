// Booting a cluster costs far more than most journeys, so a stack is reused by the next journey
// that wants the same app, on the same store: its balancer switched to the routing that journey
// asks for, and repaired first if the last journey faulted it (a killed instance started again
// with empty memory, an added one removed). A stack a journey leaves in a state that repair does
// not undo (alice locked out of logins) is stopped instead.
import type { AppName, RoutingPolicy } from "../vocabulary";
import { repairStack, type Stack } from "./stack";
import type { TestBed } from "./test-bed";

export class StackPool {
  private readonly idle = new Map<AppName, Stack>();

  constructor(
    private readonly bed: TestBed,
    private readonly instances: number,
    /** The Redis every stack of this pool uses. */
    private readonly redisUrl: string,
  ) {}

  async acquire(app: AppName, policy: RoutingPolicy): Promise<Stack> {
    const stack = this.idle.get(app);
    this.idle.delete(app);
    // A balancer that cannot switch (HAProxy started round-robin has no cookies to turn on) is replaced.
    if (
      stack &&
      (await stack.balancer.setPolicy(policy).then(
        () => true,
        () => false,
      ))
    )
      return stack;
    if (stack) await this.bed.stopStack(stack);
    return this.bed.startStack(app, { instances: this.instances, policy, redisUrl: this.redisUrl });
  }

  async release(stack: Stack, { reusable }: { reusable: boolean }): Promise<void> {
    const { app } = stack.cluster;
    if (!reusable || this.idle.has(app)) return this.bed.stopStack(stack);
    await repairStack(stack, this.instances);
    this.idle.set(app, stack);
  }
}
