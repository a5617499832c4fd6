// The record behind Server-Timing: each request's own, through its awaits, whatever runs beside it.
import { setTimeout as sleep } from "node:timers/promises";
import {
  countRoundTrip,
  roundTripsInSequence,
  timedAdapter,
  timedInProcess,
  timedStore,
  withStoreTimings,
  type StoreUse,
} from "../src";

class Counter {
  #count = 0;
  add(): number {
    return ++this.#count;
  }
  async later(ms: number): Promise<number> {
    await sleep(ms);
    return this.#count;
  }
  async broken(): Promise<never> {
    throw new Error("no");
  }
  label(): string {
    return "not a store operation";
  }
}

describe("the store timing of a request", () => {
  it("keeps each request's own record, however their awaits interleave", async () => {
    const request = (store: "redis" | "postgres", operations: number) =>
      withStoreTimings(async (uses) => {
        for (let i = 0; i < operations; i++) await timedStore(store, () => sleep(5));
        return uses();
      });
    const [first, second] = await Promise.all([request("redis", 3), request("postgres", 2)]);
    expect(first!.map(({ store, operations }) => [store, operations])).toEqual([["redis", 3]]);
    expect(second!.map(({ store, operations }) => [store, operations])).toEqual([["postgres", 2]]);
    expect(first![0]!.ms).toBeGreaterThanOrEqual(3 * 4);
  });

  it("times an adapter's methods on the adapter itself (private fields and all), a promise until it settles", async () => {
    const counter = timedAdapter("memory", new Counter(), ["add", "later", "broken"]);
    const uses: StoreUse[] = await withStoreTimings(async (read) => {
      expect(counter.add()).toBe(1);
      expect(await counter.later(20)).toBe(1);
      await expect(counter.broken()).rejects.toThrow("no");
      expect(counter.label()).toBe("not a store operation");
      return read();
    });
    expect(uses).toEqual([{ store: "memory", operations: 3, ms: expect.any(Number) }]);
    expect(uses[0]!.ms).toBeGreaterThanOrEqual(15);
  });

  it("times as memory only the calls that used no store, in parallel requests too", async () => {
    const adapter = timedInProcess({
      inMemory: async () => sleep(5),
      inRedis: () => timedStore("redis", () => sleep(5)),
    });
    const request = (call: "inMemory" | "inRedis") =>
      withStoreTimings(async (read) => {
        await adapter[call]();
        await adapter[call]();
        return read().map(({ store, operations }) => [store, operations]);
      });
    const [memory, redis] = await Promise.all([request("inMemory"), request("inRedis")]);
    expect(memory).toEqual([["memory", 2]]);
    expect(redis).toEqual([["redis", 2]]);
  });

  it("counts an operation's round trips as it counts them itself (a transaction's statements), each its own", async () => {
    const statements = (n: number) => async () => {
      for (let i = 0; i < n; i++) {
        countRoundTrip();
        await sleep(1);
      }
    };
    const uses = await withStoreTimings(async (read) => {
      // BEGIN, three statements, COMMIT; beside it, at the same time, one of two; then a plain call.
      await Promise.all([timedStore("postgres", statements(5)), timedStore("postgres", statements(2))]);
      await timedStore("redis", () => sleep(1));
      return read().map(({ store, operations }) => [store, operations]);
    });
    expect(uses).toEqual([
      ["postgres", 7],
      ["redis", 1],
    ]);
    // Outside an operation, or a request, a round trip is nobody's to count.
    expect(() => countRoundTrip()).not.toThrow();
  });

  it("counts the round trips made one after another: calls made at the same time once, the memory none", async () => {
    const statements = (n: number) => async () => {
      for (let i = 0; i < n; i++) {
        countRoundTrip();
        await sleep(2);
      }
    };
    const memory = timedAdapter("memory", new Counter(), ["later"]);
    const inSequence = await withStoreTimings(async (_uses, trips) => {
      await timedStore("redis", () => sleep(2)); // 1
      await Promise.all([timedStore("redis", () => sleep(2)), timedStore("s3", () => sleep(2))]); // 1 more, not 2
      await Promise.all([timedStore("postgres", statements(3)), timedStore("redis", () => sleep(1))]); // 3 more
      await memory.later(2); // no round trip
      return trips();
    });
    expect(inSequence).toBe(5);
  });

  it("adds up what follows, and takes the longest of what overlaps", () => {
    const trip = (start: number, end: number, count = 1) => ({ start, end, count });
    expect(roundTripsInSequence([])).toBe(0);
    expect(roundTripsInSequence([trip(0, 1), trip(1, 2), trip(2, 3)])).toBe(3);
    expect(roundTripsInSequence([trip(5, 9, 4), trip(0, 1), trip(6, 7), trip(10, 11, 2)])).toBe(7);
  });

  it("records nothing, and gets in no one's way, outside a request", async () => {
    const counter = timedAdapter("memory", new Counter());
    expect(counter.add()).toBe(1);
    await expect(timedStore("redis", async () => "answer")).resolves.toBe("answer");
  });
});
