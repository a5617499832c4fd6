// One Redis freeze shared by the journeys that run side by side: it starts once every journey
// has asked for it (or finished without asking), so no journey's set-up runs into another's
// outage, and it ends when the last of them resumes.
import type { LocalRedisServer } from "@cart/local-infra";

export class SharedFreeze {
  private waitingFor: number;
  private holders = 0;
  private everyoneArrived!: () => void;
  private readonly arrived = new Promise<void>((resolve) => (this.everyoneArrived = resolve));

  constructor(
    private readonly redis: LocalRedisServer,
    parties: number,
  ) {
    this.waitingFor = parties;
  }

  async freeze(): Promise<void> {
    this.holders++;
    this.arrive();
    await this.arrived;
  }

  resume(): void {
    this.holders--;
    if (this.holders === 0) this.redis.resume();
  }

  /** A journey that ended without freezing must not keep the others waiting. */
  leave(): void {
    this.arrive();
  }

  private arrive(): void {
    this.waitingFor--;
    if (this.waitingFor > 0) return;
    if (this.holders > 0) this.redis.freeze();
    this.everyoneArrived();
  }
}
