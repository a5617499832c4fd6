// The AWS SDK's S3 client, set up for any S3-compatible store.
import { S3Client } from "@aws-sdk/client-s3";
import type { ObjectStoreConfig } from "./s3-env";

export function createS3Client(config: ObjectStoreConfig): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Two tries. A request sent on a kept-alive connection just as the store closes it (an idle
    // connection's end, which the client cannot see coming) fails at once, "socket hang up", and
    // goes again on a new connection. A store that does not answer is still a 503 at the stores'
    // deadline, which cancels the retry with the first try. Every call we make is idempotent.
    maxAttempts: 2,
    // Checksums only where S3 requires them: the SDK's default (a CRC32 on every upload and
    // download) is one that several S3-compatible stores do not implement yet.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
