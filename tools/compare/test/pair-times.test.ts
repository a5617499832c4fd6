// How long a journey that proves a negative waits: what the run beside needed, not a worst case.
import { PairTimes, waitFor } from "../src/journeys/pair-times";

it("gives a thing twice what it took the run beside and a second, never more than the most, and the most with no run beside", () => {
  const times = new PairTimes();
  expect(waitFor(times, "took one", 10_000)).toBe(10_000);
  times.record("took one", 700);
  times.record("took one", 5000); // the first time it happened is what counts
  expect(times.took("took one")).toBe(700);
  expect(waitFor(times, "took one", 10_000)).toBe(2400);
  expect(waitFor(times, "took one", 2000)).toBe(2000);
  expect(waitFor(times, "something else", 10_000)).toBe(10_000);
});
