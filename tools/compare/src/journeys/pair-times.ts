// Both apps run a journey side by side, on the same machine at the same time. A journey that
// proves a negative by waiting (the stateful side's new server never cooks another server's
// order, however long it is given) need not wait a fixed worst case: the other side's run says
// how long the thing took where it does happen, on this machine, now. Each run records what it saw
// happen and when; the other reads it.
export class PairTimes {
  private readonly seen = new Map<string, number>();

  /** This run saw `what` happen `ms` after its start of it. */
  record(what: string, ms: number): void {
    if (!this.seen.has(what)) this.seen.set(what, ms);
  }

  /** How long `what` took where it happened (the run beside, for a run where it does not); undefined until then. */
  took(what: string): number | undefined {
    return this.seen.get(what);
  }
}

/**
 * How long to give `what` before concluding it will not happen: as long as it took the run beside,
 * twice over and a second more, never more than `atMostMs` (what to give it with no run beside, or
 * while the run beside is still waiting for it too).
 */
export function waitFor(times: PairTimes, what: string, atMostMs: number): number {
  const beside = times.took(what);
  return beside === undefined ? atMostMs : Math.min(atMostMs, 2 * beside + 1000);
}
