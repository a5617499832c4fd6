// Buckets made for one test file or one stack of the suite, so that each starts empty, and
// deleted afterwards with what they hold. Made on the store that `config` names, with its
// credentials (the private S3 server's accept anything signed with its keys).
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  ListObjectsV2Command,
  NoSuchBucket,
} from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { createS3Client } from "./s3-client";
import type { ObjectStoreConfig } from "./s3-env";

export interface ScratchBucket {
  /** The store's settings with this bucket: known before it exists, for apps made before it is. */
  readonly config: ObjectStoreConfig;
  create(): Promise<void>;
  /** Deletes every object in it. */
  empty(): Promise<void>;
  /** Deletes every object in it, then the bucket (none: nothing to do). */
  drop(): Promise<void>;
}

export function scratchBucket(store: ObjectStoreConfig, prefix = "cart"): ScratchBucket {
  const config = { ...store, bucket: `${prefix}-${randomBytes(6).toString("hex")}` };
  const withClient = async (work: (client: ReturnType<typeof createS3Client>) => Promise<void>) => {
    const client = createS3Client(config);
    try {
      await work(client);
    } finally {
      client.destroy();
    }
  };
  return {
    config,
    // Already there is no error: its name is this bucket's alone, so an app given it made it first.
    create: () =>
      withClient(async (client) => {
        await client.send(new CreateBucketCommand({ Bucket: config.bucket })).catch((error: unknown) => {
          if (!(error instanceof BucketAlreadyExists || error instanceof BucketAlreadyOwnedByYou)) throw error;
        });
      }),
    empty: () => withClient((client) => emptyBucket(client, config.bucket)),
    drop: () =>
      withClient(async (client) => {
        try {
          await emptyBucket(client, config.bucket);
          await client.send(new DeleteBucketCommand({ Bucket: config.bucket }));
        } catch (error) {
          if (!(error instanceof NoSuchBucket)) throw error;
        }
      }),
  };
}

/**
 * One object at a time: s3rver removes a key's folders once they are empty, and two deletes in the
 * same folder at once race there (one lists a folder the other has just removed), which it answers
 * 500 InternalError. A scratch bucket holds a few objects.
 */
async function emptyBucket(client: ReturnType<typeof createS3Client>, Bucket: string): Promise<void> {
  for (;;) {
    const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket }));
    if (Contents.length === 0) return;
    for (const { Key } of Contents) await client.send(new DeleteObjectCommand({ Bucket, Key }));
  }
}
