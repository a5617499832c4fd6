// One bucket of S3-compatible object storage, for the files a stateless app must not keep on its
// own disk. Like the Redis client and the PostgreSQL pool, it fails fast: an operation the store
// does not complete within the stores' deadline is cancelled and becomes STORE_UNAVAILABLE (503).
// And like the database, it is prepared in the background: a missing bucket is made (once it
// answers), so a fresh store, such as the Compose stack's, needs no set-up step.
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { timedStore, withinStoreDeadline } from "@cart/domain";
import { createS3Client } from "./s3-client";
import type { ObjectStoreConfig } from "./s3-env";

const RETRY_MS = 1000;

export class ObjectStore {
  private readonly client: S3Client;
  readonly bucket: string;
  /** Whether the last operation reached the store: one log line per outage, not one per request. */
  private healthy = true;
  private closed = false;
  private isPrepared = false;
  /** Resolves once the bucket is there (made if it was missing); never rejects. */
  readonly prepared: Promise<void>;

  constructor(private readonly config: ObjectStoreConfig) {
    this.client = createS3Client(config);
    this.bucket = config.bucket;
    this.prepared = this.prepare();
  }

  put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    return this.call(async (abortSignal) => {
      const put = new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType });
      await this.client.send(put, { abortSignal });
    });
  }

  /** The object's bytes, or undefined if there is none. */
  get(key: string): Promise<Uint8Array | undefined> {
    return this.call(async (abortSignal) => {
      try {
        const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal });
        return await object.Body!.transformToByteArray();
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    });
  }

  /** Deletes the object; none is not an error (S3 answers 204 either way). */
  delete(key: string): Promise<void> {
    return this.call(async (abortSignal) => {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal });
    });
  }

  /** For /readyz: whether the bucket is there and answers a listing. */
  async isReady(): Promise<boolean> {
    return (
      this.isPrepared &&
      this.call((abortSignal) => this.list(abortSignal)).then(
        () => true,
        () => false,
      )
    );
  }

  close(): void {
    this.closed = true;
    this.client.destroy();
  }

  private list(abortSignal?: AbortSignal) {
    return this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, MaxKeys: 1 }), { abortSignal });
  }

  /** Lists the bucket, making it if it is missing; tried again every second until the store answers. */
  private async prepare(): Promise<void> {
    for (let failures = 0; !this.closed; failures++) {
      try {
        await withinDeadline((abortSignal) =>
          this.list(abortSignal).catch(async (error: unknown) => {
            if (!(error instanceof NoSuchBucket)) throw error;
            const create = new CreateBucketCommand({ Bucket: this.bucket, ...this.location() });
            // Instances that start together race to make it: one wins, the others find it made.
            const made = await this.client.send(create, { abortSignal }).then(
              () => true,
              (refusal: unknown) => {
                if (refusal instanceof BucketAlreadyOwnedByYou || refusal instanceof BucketAlreadyExists) return false;
                throw refusal;
              },
            );
            if (made) console.log(`s3: made the bucket ${this.bucket}`);
          }),
        );
        if (failures > 0) console.log(`s3: bucket ${this.bucket} ready`);
        this.isPrepared = true;
        return;
      } catch (error) {
        if (failures === 0 && !this.closed) {
          console.error(`s3: cannot prepare the bucket ${this.bucket} (${describe(error)}); retrying`);
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  /** Outside us-east-1, AWS wants to be told where a new bucket goes. */
  private location() {
    const region = this.config.region;
    return region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } };
  }

  /**
   * Any failure to complete is an outage here, a refusal too (403 AccessDenied, NoSuchBucket): the
   * user can do nothing about either, and the log line says which it was.
   */
  private async call<T>(operation: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      const result = await withinDeadline(operation);
      if (!this.healthy) console.log(`s3: bucket ${this.bucket} answers again`);
      this.healthy = true;
      return result;
    } catch (error) {
      if (this.healthy) console.error(`s3: bucket ${this.bucket}: ${describe(error)}`);
      this.healthy = false;
      throw error;
    }
  }
}

/** `operation` within the stores' deadline, cancelled when it passes. */
function withinDeadline<T>(operation: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return timedStore("s3", () =>
    withinStoreDeadline(() => operation(controller.signal), { onDeadline: () => controller.abort() }),
  );
}

/** What went wrong underneath: the SDK's error (AccessDenied, ECONNREFUSED…) or "no answer in time". */
function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
