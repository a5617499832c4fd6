// A database an instance serves with as soon as it starts, as it does with Redis: its pool at once,
// its preparation (migrations, seed data) in the background, tried again every second until the
// database answers. Until then, what needs it answers 503 STORE_UNAVAILABLE and /readyz says 503.
import { withinStoreDeadline } from "@cart/domain";
import type { Pool } from "pg";
import { createPgPool, isPgReady } from "./pg-pool";

const RETRY_MS = 1000;

export interface Database {
  readonly pool: Pool;
  /** Resolves once the database is prepared; never rejects. */
  readonly prepared: Promise<void>;
}

/** A pool for `url`, and `prepare` run on it in the background until it succeeds (or the pool ends). */
export function openDatabase(url: string, prepare: (pool: Pool) => Promise<void>): Database {
  const pool = createPgPool(url);
  const prepared = (async () => {
    for (let failures = 0; !pool.ending; failures++) {
      try {
        await prepare(pool);
        if (failures > 0) console.log("postgres: database ready");
        return;
      } catch (error) {
        if (failures === 0)
          console.error(`postgres: cannot prepare the database (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  })();
  return { pool, prepared };
}

/**
 * Waits until the database is prepared, within the stores' deadline: STORE_UNAVAILABLE after it.
 * Not a store operation of the request's (Server-Timing): it asks the database nothing.
 */
export function whenPrepared({ prepared }: Database): Promise<void> {
  return withinStoreDeadline(() => prepared);
}

/** For /readyz: whether the database answers, and is prepared. */
export function databaseReadiness({ pool, prepared }: Database): () => Promise<boolean> {
  let isPrepared = false;
  void prepared.then(() => (isPrepared = true));
  return async () => isPrepared && isPgReady(pool);
}
