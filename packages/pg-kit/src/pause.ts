import { setTimeout as sleep } from "node:timers/promises";

/** Waits `ms`, or less if `signal` is set first; resolves with whether the whole wait passed. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
