// Which journeys may run at the same time: lanes side by side, each on a private Redis and stacks
// of its own, one journey at a time in each. The journeys that disturb whoever shares their store
// (a Redis freeze, restart or failover, a lock-out of logins) in one lane; the chat's in another
// and the kitchen's in a third (they kill servers of their own stacks, and mostly wait: for a
// message, for a dead server's claims or a job's lease to run out); all the others in a fourth.
// Lock-outs come after every other journey of their lane.
import { JOURNEYS } from "../journeys";
import type { JourneyName } from "../vocabulary";

const locksOut = (name: JourneyName) => Boolean(JOURNEYS[name].locksOutLogins);
const disturbsStore = (name: JourneyName) =>
  Boolean(JOURNEYS[name].needsPrivateRedis || JOURNEYS[name].needsSentinel) || locksOut(name);
const inLane = (lane: "chat" | "kitchen") => (name: JourneyName) =>
  JOURNEYS[name].lane === lane && !disturbsStore(name);

/** The journeys in the order they run in one lane: as given, lock-outs last. */
export function runOrder(journeys: readonly JourneyName[]): JourneyName[] {
  return [...journeys.filter((name) => !locksOut(name)), ...journeys.filter(locksOut)];
}

/** The lanes (the rest, the chat's, the kitchen's, those that disturb their store), or all in one when `apart` is false. */
export function lanesOf(journeys: readonly JourneyName[], apart: boolean): JourneyName[][] {
  const ordered = runOrder(journeys);
  if (!apart) return [ordered];
  const lanes = [
    ordered.filter((name) => !disturbsStore(name) && !JOURNEYS[name].lane),
    ordered.filter(inLane("chat")),
    ordered.filter(inLane("kitchen")),
    ordered.filter(disturbsStore),
  ];
  return lanes.filter((lane) => lane.length > 0);
}
