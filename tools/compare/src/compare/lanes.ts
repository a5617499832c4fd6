// Which journeys may run at the same time. A journey that disturbs whoever shares its store (a
// Redis freeze or restart, a lock-out of logins) runs in a lane of its own journeys, on a private
// Redis and stacks of its own, beside the lane of all the others; in each lane, one journey at a
// time. Lock-outs come after every other journey of their lane that logs in.
import { JOURNEYS } from "../journeys";
import type { JourneyName } from "../vocabulary";

const locksOut = (name: JourneyName) => Boolean(JOURNEYS[name].locksOutLogins);
const disturbsStore = (name: JourneyName) => Boolean(JOURNEYS[name].needsPrivateRedis) || locksOut(name);

/** The journeys in the order they run in one lane: as given, lock-outs last. */
export function runOrder(journeys: readonly JourneyName[]): JourneyName[] {
  return [...journeys.filter((name) => !locksOut(name)), ...journeys.filter(locksOut)];
}

/** The lanes: the journeys that disturb their store apart from the rest, or all in one when `apart` is false. */
export function lanesOf(journeys: readonly JourneyName[], apart: boolean): JourneyName[][] {
  const ordered = runOrder(journeys);
  const lanes = apart ? [ordered.filter((name) => !disturbsStore(name)), ordered.filter(disturbsStore)] : [ordered];
  return lanes.filter((lane) => lane.length > 0);
}
