// Small helpers with no home of their own, used across the suite.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Two decimals: what the reports print. */
export const round = (n: number) => Math.round(n * 100) / 100;

/** The p-th percentile (nearest rank) of `values`; 0 when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The values that occur more than once in `values` (each repeat listed): what a duplicate check reports. */
export const repeated = <T>(values: readonly T[]): T[] => values.filter((value, i) => values.indexOf(value) !== i);

/** Runs `task(0)`…`task(count - 1)`, `concurrency` at a time. */
export async function inParallel(count: number, concurrency: number, task: (n: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A repeatable sequence in [0, 1), so that every run tells the same story. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * Work that goes on while the users shop (a deploy, crashes). Its failure is held, not left
 * unhandled (which would end the whole run), until the journey asks for the outcome.
 */
export function alongside<T>(work: Promise<T>): () => Promise<T> {
  const outcome = work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const result = await outcome;
    if (!result.ok) throw result.error;
    return result.value;
  };
}

/** Servers in their natural order: stateful-2 before stateful-10. */
export const byNumber = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** A duration as the reports print it: one decimal under 10 ms, whole milliseconds above. */
export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
