// A journey's time budget is its lesson's claim ("Bob gets Alice's message within 1 s"), and the
// claim is about the design, not about the machine: on a machine busy with other work every answer
// comes later, and a verdict must not flip for that. So a budget stretches with what the same run
// shows the machine doing right now: the claim, or PACE_FACTOR times what a comparable action just
// took on the same side, whichever is longer. A stateful failure stays a failure for its own
// reason: what never arrives does not arrive in a longer wait either.
export const PACE_FACTOR = 4;

/** `claimMs`, or PACE_FACTOR × `comparableMs` on a machine slower than the claim assumes. */
export function budget(claimMs: number, comparableMs: number): number {
  return Math.max(claimMs, Math.ceil(PACE_FACTOR * comparableMs));
}
