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
 * pipelined batch, a statement; a transaction's statements each count, BEGIN and COMMIT too) and
 * the time they took together.
 */
export interface StoreUse {
  readonly store: StoreName;
  readonly operations: number;
  readonly ms: number;
}

const current = new AsyncLocalStorage<Map<StoreName, { operations: number; ms: number }>>();
/** The round trips the store operation under way has counted itself (countRoundTrip). */
const roundTrips = new AsyncLocalStorage<{ count: number }>();

/**
 * Runs `work` with a record of its own (a request's): what it and everything it awaits use.
 * `work` is given a reader of that record: the stores used so far, in the order first used.
 */
export function withStoreTimings<T>(work: (uses: () => StoreUse[]) => T): T {
  const uses = new Map<StoreName, { operations: number; ms: number }>();
  const read = () => [...uses].map(([store, { operations, ms }]) => ({ store, operations, ms }));
  return current.run(uses, () => work(read));
}

function record(store: StoreName, ms: number, operations = 1): void {
  const uses = current.getStore();
  if (!uses) return;
  const use = uses.get(store) ?? { operations: 0, ms: 0 };
  uses.set(store, { operations: use.operations + operations, ms: use.ms + ms });
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
    record(store, performance.now() - started, Math.max(1, counted.count));
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
  for (const use of current.getStore()?.values() ?? []) operations += use.operations;
  return operations;
}

/**
 * `adapter` with its methods (or those named in `only`) timed as operations on `store`: for the
 * adapters that keep state in this process, which no client library times for them. Methods run
 * on the adapter itself (private fields work); a method that returns a promise is timed until it
 * settles.
 */
export function timedAdapter<T extends object>(store: StoreName, adapter: T, only?: readonly (keyof T)[]): T {
  return timed(adapter, only, () => (ms) => record(store, ms));
}

/**
 * `adapter` with each call that used no store timed as `memory`: state this process kept itself,
 * which no client library times. A call that used a store is that store's kit's to record. So an
 * app's adapters are timed the same way wherever they keep their state, with nothing to declare.
 */
export function timedInProcess<T extends object>(adapter: T): T {
  return timed(adapter, undefined, () => {
    const before = operationsSoFar();
    return (ms) => {
      if (operationsSoFar() === before) record("memory", ms);
    };
  });
}

/** `adapter` with its methods (or those in `only`) timed: `call` at each call's start gives what to do with its time. */
function timed<T extends object>(
  adapter: T,
  only: readonly (keyof T)[] | undefined,
  call: () => (ms: number) => void,
): T {
  return new Proxy(adapter, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function" || (only && !only.includes(property as keyof T))) return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const finish = call();
        const done = () => finish(performance.now() - started);
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
