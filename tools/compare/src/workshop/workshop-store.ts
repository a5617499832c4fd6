// The workshop's shared Redis, as the dashboard shows and drives it: frozen (SIGSTOP) or running,
// how many keys it holds and how many of them are the stateless app's sessions (the dots the page
// draws in Redis), asked of Redis itself on every poll; and how far the stateless servers' stores
// are from them (a delay proxy's round trip, stepped through STORE_DISTANCES_MS).
import type { LocalRedisServer } from "@cart/local-infra";
import { STORE_DISTANCES_MS, type StoreView } from "./dashboard-state";

/** The stateless app's session records, as connect-redis names them. */
const SESSION_KEYS = "sess:*";

export class WorkshopStore {
  private frozen = false;
  private keys: number | null = null;
  private sessions: number | null = null;
  private distanceMs: number = STORE_DISTANCES_MS[0];

  constructor(
    private readonly redis: LocalRedisServer,
    /** Puts every store the stateless servers use that many ms (a round trip) away. */
    private readonly moveStores: (roundTripMs: number) => Promise<void>,
  ) {}

  /** The stores one step further away (after the farthest, back to loopback); the new distance. */
  async moveAway(): Promise<number> {
    const now = STORE_DISTANCES_MS.findIndex((ms) => ms === this.distanceMs);
    const next = STORE_DISTANCES_MS[(now + 1) % STORE_DISTANCES_MS.length]!;
    await this.moveStores(next);
    this.distanceMs = next;
    return next;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Freezes (SIGSTOP) or resumes (SIGCONT) Redis; whether that changed anything. */
  setFrozen(frozen: boolean): boolean {
    if (frozen === this.frozen) return false;
    this.frozen = frozen;
    if (frozen) this.redis.freeze();
    else this.redis.resume();
    return true;
  }

  /** Counts again (a frozen Redis is not asked: it would not answer). */
  async poll(): Promise<void> {
    const [keys, sessions] = this.frozen
      ? [undefined, undefined]
      : await Promise.all([this.redis.keyCount(), this.redis.keyCountMatching(SESSION_KEYS)]);
    this.keys = keys ?? null;
    this.sessions = sessions ?? null;
  }

  view(): StoreView {
    return { keys: this.keys, sessions: this.sessions, frozen: this.frozen, distanceMs: this.distanceMs };
  }
}
