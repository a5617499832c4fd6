// The suite's one Redis, faulted once for journeys that run side by side (both apps at once): a
// freeze or a restart starts once every journey has asked for it (or finished without asking),
// so no journey's set-up runs into another's outage. A freeze ends when the last holder resumes.
import type { LocalRedisServer } from "@cart/local-infra";

export class SharedStoreFault {
  private waitingFor: number;
  private wanted: "freeze" | "restart" | "restart empty" | undefined;
  private holders = 0;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  private readonly applied = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));

  constructor(
    private readonly redis: LocalRedisServer,
    parties: number,
  ) {
    this.waitingFor = parties;
  }

  /** SIGSTOP once everyone has arrived; resolves once Redis is frozen. */
  async freeze(): Promise<void> {
    this.wanted = "freeze";
    this.holders++;
    this.arrive();
    await this.applied;
  }

  resume(): void {
    this.holders--;
    if (this.holders === 0) this.redis.resume();
  }

  /**
   * SIGTERM and start again (same port, same data dir) once everyone has arrived; resolves once it
   * answers. `empty`: its data deleted in between, as a Redis without persistence loses it.
   */
  async restart({ empty = false }: { empty?: boolean } = {}): Promise<void> {
    this.wanted = empty ? "restart empty" : "restart";
    this.arrive();
    await this.applied;
  }

  /** A journey that ended without a fault must not keep the others waiting. */
  leave(): void {
    this.arrive();
  }

  private arrive(): void {
    this.waitingFor--;
    if (this.waitingFor > 0) return;
    if (this.wanted === "freeze") this.redis.freeze();
    const fault =
      this.wanted === "restart" || this.wanted === "restart empty"
        ? this.redis.restart({ forget: this.wanted === "restart empty" })
        : Promise.resolve();
    fault.then(this.settle.resolve, this.settle.reject);
  }
}
