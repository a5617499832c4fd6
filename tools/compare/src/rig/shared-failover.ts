// The suite's Redis Sentinel group, failed over once per round for journeys that run side by side
// (both apps at once, on one group): the primary is killed once every journey has asked for it
// (or finished without asking), so the two apps meet the same failover at the same moment.
import type { LocalRedisSentinelGroup, PrimaryKilled } from "@cart/local-infra";

/** One failover: the port the primary listened on, when it died, when it was replaced and rejoined. */
export type StoreFailover = PrimaryKilled;

export class SharedFailover {
  private arrived = 0;
  private round = newRound();

  constructor(
    readonly group: LocalRedisSentinelGroup,
    private parties: number,
  ) {}

  /** kill -9 of the primary once everyone has arrived; resolves once it is dead. */
  async killPrimary(): Promise<StoreFailover> {
    const { done } = this.round;
    this.arrived++;
    this.maybeKill();
    return done;
  }

  /** A journey that ended (or will ask no more) must not keep the others waiting. */
  leave(): void {
    this.parties--;
    this.maybeKill();
  }

  private maybeKill(): void {
    if (this.arrived === 0 || this.arrived < this.parties) return;
    const { settle } = this.round;
    this.arrived = 0;
    this.round = newRound();
    this.group.killPrimary().then(settle.resolve, settle.reject);
  }
}

function newRound() {
  let settle!: { resolve: (failover: StoreFailover) => void; reject: (error: unknown) => void };
  const done = new Promise<StoreFailover>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined);
  return { done, settle };
}
