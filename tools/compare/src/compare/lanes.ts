// Which journeys run at the same time: lanes side by side, each on a private Redis and stacks of its
// own, one journey at a time in each. Any journey may run in any lane, its faults included (a
// Redis freeze or restart is its lane's Redis, a kill is its lane's server), so the lanes are laid
// out for time alone: the longest journeys first, each into the lane that has the least to do so
// far, so that no lane ends long after the others (a run lasts as long as its longest lane). The
// exception: a journey that locks logins out (brute-force) leaves its lane's Redis refusing alice,
// so it comes after every other journey of its lane.
import { JOURNEYS } from "../journeys";
import type { JourneyName } from "../vocabulary";

/** As many lanes as two cores keep busy: most journeys mostly wait (for a lease, a claim, a message). */
export const LANES = 4;

/**
 * About how long each journey holds its lane: the longer of its two sides, with its stacks'
 * repair after it, in a run of the whole matrix on our machine (2026-12-07, compare.json's
 * `lanes`; a lane's first journey also waits for its stacks to start, about 2.5 s, not counted).
 * A stale figure costs a run some seconds, never a verdict.
 */
export const TYPICAL_SECONDS: Record<JourneyName, number> = {
  "kitchen-scale-out": 8,
  "kitchen-crash": 6.3,
  "chat-presence": 5,
  "rolling-deploy": 4.9,
  "store-outage": 4.5,
  "load-spread": 4.4,
  "kitchen-rolling-deploy": 4.4,
  "orders-outlive-everything": 3.9,
  "chat-typing": 3.7,
  "avatar-after-replace": 2.8,
  "scale-out": 2.7,
  "chat-rolling-deploy": 2.6,
  "chat-scale-out": 2.5,
  "chat-server-crash": 2.2,
  "chat-across-servers": 1.5,
  "brute-force": 1,
  "atm-double-spend": 1,
  concurrency: 0.9,
  "server-crash": 0.6,
  "atm-different-answers": 0.6,
  "store-restart": 0.5,
  "avatar-upload": 0.3,
  "happy-path": 0.3,
  "logout-everywhere": 0.2,
  "no-stickiness": 0.1,
  // Opt-in: their lane's only journey, or nearly.
  "store-failover": 20,
  chaos: 30,
};

const locksOut = (name: JourneyName) => Boolean(JOURNEYS[name].locksOutLogins);

/** The journeys in the order they run in one lane: as given, lock-outs last. */
export function runOrder(journeys: readonly JourneyName[]): JourneyName[] {
  return [...journeys.filter((name) => !locksOut(name)), ...journeys.filter(locksOut)];
}

/**
 * The lanes, at most `lanes` of them: each journey, longest first, into the lane with the fewest
 * seconds so far; then each lock-out at the end of the lane that ends first. With one lane, the
 * journeys in the matrix's order, lock-outs last.
 */
export function lanesOf(journeys: readonly JourneyName[], lanes: number): JourneyName[][] {
  if (lanes <= 1) return [runOrder(journeys)];
  const byLength = [...journeys].sort((a, b) => TYPICAL_SECONDS[b] - TYPICAL_SECONDS[a]);
  const laid = Array.from({ length: Math.min(lanes, journeys.length) }, () => ({
    journeys: [] as JourneyName[],
    seconds: 0,
  }));
  for (const name of [...byLength.filter((name) => !locksOut(name)), ...byLength.filter(locksOut)]) {
    const lane = laid.reduce((least, lane) => (lane.seconds < least.seconds ? lane : least));
    lane.journeys.push(name);
    lane.seconds += TYPICAL_SECONDS[name];
  }
  return laid.map((lane) => lane.journeys).filter((lane) => lane.length > 0);
}
