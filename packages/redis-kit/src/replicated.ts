// Waiting for a replica before saying "done". Redis replicates after it answers: a primary killed
// right after a write takes the write with it, though the client was told it was made. WAIT holds
// the answer until `replicas` replicas have what this connection wrote so far, at the cost of a
// round trip to them; a write no replica confirmed in time is answered 503, as not made (it may
// still be on the primary: the client tries again, and a retry of the writes this guards, a login
// and a checkout's settling, is harmless).
import { StoreUnavailableError } from "@cart/domain";
import { z } from "zod";
import { storeCall, type RedisClient } from "./redis-client";

/** REDIS_WAIT_REPLICAS: how many replicas the writes that matter wait for (0, the default: none). */
export const waitReplicasEnv = {
  REDIS_WAIT_REPLICAS: z.coerce
    .number({ message: "REDIS_WAIT_REPLICAS must be a whole number" })
    .int("REDIS_WAIT_REPLICAS must be a whole number")
    .min(0, "REDIS_WAIT_REPLICAS must be at least 0")
    .max(5, "REDIS_WAIT_REPLICAS must be at most 5")
    .default(0)
    .describe("how many Redis replicas a login, a logout and a checkout wait for (`WAIT`); 503 if none in 250 ms"),
};

/** How long WAIT may take: well within the store's deadline, and far above a replica's round trip. */
const WAIT_TIMEOUT_MS = 250;

/** Resolves once `replicas` replicas have every write made so far on `redis`'s connection (none: at once). */
export async function replicated(redis: RedisClient, replicas: number): Promise<void> {
  if (replicas === 0) return;
  const confirmed = await storeCall(() => redis.wait(replicas, WAIT_TIMEOUT_MS));
  if (confirmed < replicas)
    throw new StoreUnavailableError(
      `${confirmed} of ${replicas} replica(s) confirmed the write within ${WAIT_TIMEOUT_MS} ms`,
    );
}
