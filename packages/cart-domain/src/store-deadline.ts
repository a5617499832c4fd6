// The promise every store adapter makes, whatever the store (Redis, PostgreSQL): an answer, or
// STORE_UNAVAILABLE (a 503) within one deadline, never a request that hangs on a store that is
// down or frozen. The deadline is the adapter's own because a client library times out only what
// it has not yet sent: a command already on the wire to a frozen store would wait forever.
import { DomainError, StoreUnavailableError } from "./errors";

/** The same for every store: a frozen PostgreSQL answers as fast as a frozen Redis. */
export const STORE_DEADLINE_MS = 1000;

export interface StoreDeadlineOptions {
  /** A failure that is the store's answer (a refused statement, an error reply), not an outage: rethrown as it is. */
  readonly isAnswer?: (error: unknown) => boolean;
  /** Called when the deadline passes (to close a connection whose work must not complete later). */
  readonly onDeadline?: () => void;
}

/** Runs a store operation within STORE_DEADLINE_MS; not reaching the store becomes StoreUnavailableError. */
export async function withinStoreDeadline<T>(
  operation: () => Promise<T>,
  { isAnswer, onDeadline }: StoreDeadlineOptions = {},
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onDeadline?.();
      reject(new StoreUnavailableError("no answer in time"));
    }, STORE_DEADLINE_MS);
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (error) {
    // Domain errors are answers too: the adapter decided what they mean.
    if (error instanceof DomainError || isAnswer?.(error)) throw error;
    throw new StoreUnavailableError(error);
  } finally {
    clearTimeout(timer);
  }
}
