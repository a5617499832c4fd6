// Starting several processes side by side, all or none.

type Stoppable = { stop(): Promise<void> } | undefined;

/** Starts stores side by side; if one fails, the others are stopped before the error is thrown. */
export async function startAll<T extends readonly (() => Promise<Stoppable> | undefined)[]>(
  starts: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  const failed = results.find((result) => result.status === "rejected");
  if (!failed) return results.map((result) => (result as PromiseFulfilledResult<Stoppable>).value) as never;
  await Promise.all(results.map((result) => (result.status === "fulfilled" ? result.value?.stop() : undefined)));
  throw failed.reason;
}
