// Where a request's time went, store by store: every adapter records each operation it runs
// (how long, in which store), and the HTTP layer tells the client in a Server-Timing header. The
// record of one request follows it through its awaits (AsyncLocalStorage), so adapters need no
// request in hand. The lesson in one header: the stateful app's answers name `memory` (and `disk`),
// the stateless app's `redis`, `postgres` and `s3`.
import { AsyncLocalStorage } from "node:async_hooks";

/** Where state is kept: in this process, on this server's disk, or in a shared store. */
export type StoreName = "memory" | "disk" | "redis" | "postgres" | "s3";

/**
 * A request's use of one store: its operations (each a round trip to the store: a command, a
 * pipelined batch, a statement awaited before the next is sent, a transaction's BEGIN and COMMIT
 * too; statements sent together count once) and the time they took together.
 */
export interface StoreUse {
  readonly store: StoreName;
  readonly operations: number;
  readonly ms: number;
}

/**
 * One request's record: each store's operations and time, and when each operation on a store
 * across the network ran, with the round trips it made (to count those made one after another).
 */
interface RequestRecord {
  readonly uses: Map<StoreName, { operations: number; ms: number }>;
  readonly trips: { readonly start: number; readonly end: number; readonly count: number }[];
}

/** Where state stays in the server: no network round trip to count. */
const IN_PROCESS: ReadonlySet<StoreName> = new Set(["memory", "disk"]);
/**
 * A timer a request starts keeps the request's record (its async context) for as long as it runs:
 * its store calls are recorded there too. The per-store sums stay small whatever happens; the list of
 * round trips stops growing here.
 */
const MAX_TRIPS = 10_000;

const current = new AsyncLocalStorage<RequestRecord>();
/** The round trips the store operation under way has counted itself (countRoundTrip). */
const roundTrips = new AsyncLocalStorage<{ count: number }>();

/**
 * Runs `work` with a record of its own (a request's): what it and everything it awaits use.
 * `work` is given readers of that record: the stores used so far, in the order first used; and the
 * round trips made so far one after another (roundTripsInSequence).
 */
export function withStoreTimings<T>(work: (uses: () => StoreUse[], inSequence: () => number) => T): T {
  const record: RequestRecord = { uses: new Map(), trips: [] };
  const read = () => [...record.uses].map(([store, { operations, ms }]) => ({ store, operations, ms }));
  return current.run(record, () => work(read, () => roundTripsInSequence(record.trips)));
}

/**
 * The round trips a request waited for one after another: what distance to a store multiplies.
 * Operations that overlap in time (sent together, awaited together) count as the longest of them;
 * one after the other, they add up.
 */
export function roundTripsInSequence(trips: readonly { start: number; end: number; count: number }[]): number {
  let total = 0;
  let together = { end: -Infinity, count: 0 };
  for (const trip of [...trips].sort((a, b) => a.start - b.start)) {
    if (trip.start < together.end)
      together = { end: Math.max(together.end, trip.end), count: Math.max(together.count, trip.count) };
    else {
      total += together.count;
      together = { end: trip.end, count: trip.count };
    }
  }
  return total + together.count;
}

function record(store: StoreName, started: number, operations = 1): void {
  const request = current.getStore();
  if (!request) return;
  const ended = performance.now();
  const use = request.uses.get(store) ?? { operations: 0, ms: 0 };
  request.uses.set(store, { operations: use.operations + operations, ms: use.ms + ended - started });
  if (!IN_PROCESS.has(store) && request.trips.length < MAX_TRIPS)
    request.trips.push({ start: started, end: ended, count: operations });
}

/**
 * Runs one store operation, recording its time (settled or not) in the current request's record:
 * one round trip, or as many as it counted itself with countRoundTrip (a transaction's statements).
 */
export async function timedStore<T>(store: StoreName, operation: () => Promise<T>): Promise<T> {
  if (!current.getStore()) return operation();
  const started = performance.now();
  const counted = { count: 0 };
  try {
    return await roundTrips.run(counted, operation);
  } finally {
    record(store, started, Math.max(1, counted.count));
  }
}

/** One round trip to the store of the operation under way (timedStore), such as one statement of its transaction. */
export function countRoundTrip(): void {
  const counted = roundTrips.getStore();
  if (counted) counted.count++;
}

/** How many store operations the current request has recorded so far. */
function operationsSoFar(): number {
  let operations = 0;
  for (const use of current.getStore()?.uses.values() ?? []) operations += use.operations;
  return operations;
}

/**
 * `adapter` with its methods (or those named in `only`) timed as operations on `store`: for the
 * adapters that keep state in this process, which no client library times for them. Methods run
 * on the adapter itself (private fields work); a method that returns a promise is timed until it
 * settles.
 */
export function timedAdapter<T extends object>(store: StoreName, adapter: T, only?: readonly (keyof T)[]): T {
  return timed(adapter, only, () => (started) => record(store, started));
}

/**
 * `adapter` with each call that used no store timed as `memory`: state this process kept itself,
 * which no client library times. A call that used a store is that store's kit's to record. So an
 * app's adapters are timed the same way wherever they keep their state, with nothing to declare.
 */
export function timedInProcess<T extends object>(adapter: T): T {
  return timed(adapter, undefined, () => {
    const before = operationsSoFar();
    return (started) => {
      if (operationsSoFar() === before) record("memory", started);
    };
  });
}

/** `adapter` with its methods (or those in `only`) timed: `call` at each call's start gives what to do once it ends (given when it started). */
function timed<T extends object>(
  adapter: T,
  only: readonly (keyof T)[] | undefined,
  call: () => (started: number) => void,
): T {
  return new Proxy(adapter, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function" || (only && !only.includes(property as keyof T))) return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const finish = call();
        const done = () => finish(started);
        let result: unknown;
        try {
          result = Reflect.apply(value, target, args);
        } catch (error) {
          done();
          throw error;
        }
        if (result instanceof Promise) return result.finally(done);
        done();
        return result;
      };
    },
  });
}
