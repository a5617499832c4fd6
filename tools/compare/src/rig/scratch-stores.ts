// The database and the bucket each stack of an app that keeps data in PostgreSQL and S3 gets (or
// each instance run on its own): fresh wallets, no orders, no avatars; dropped when it stops.
import { scratchDatabase, type ScratchDatabase } from "@cart/pg-kit";
import { scratchBucket, type ObjectStoreConfig, type ScratchBucket } from "@cart/s3-kit";
import type { AppName } from "../vocabulary";

/** The database and the bucket made for one stack (or one instance), dropped together when it stops. */
export interface ScratchStores {
  readonly database: ScratchDatabase;
  readonly bucket: ScratchBucket;
}

/** A database on `postgresUrl` and a bucket on `objectStore`, both made, for `app`; neither if one fails. */
export async function newScratchStores(
  app: AppName,
  postgresUrl: string,
  objectStore: ObjectStoreConfig,
): Promise<ScratchStores> {
  const database = scratchDatabase(postgresUrl, app);
  const bucket = scratchBucket(objectStore, app);
  const made = await Promise.allSettled([database.create(), bucket.create()]);
  const failed = made.find((result) => result.status === "rejected");
  if (failed) {
    await dropScratch({ database, bucket });
    throw failed.reason;
  }
  return { database, bucket };
}

/** Drops what was made (a store that was not made, or is gone, is no error). */
export async function dropScratch(scratch: ScratchStores | undefined): Promise<void> {
  if (scratch) await Promise.allSettled([scratch.database.drop(), scratch.bucket.drop()]);
}
