// The AWS SDK's S3 client, set up for any S3-compatible store.
import { S3Client } from "@aws-sdk/client-s3";
import type { ObjectStoreConfig } from "./s3-env";

export function createS3Client(config: ObjectStoreConfig): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // One try: a store that does not answer is reported (503) within the deadline, not retried behind it.
    maxAttempts: 1,
    // Checksums only where S3 requires them: the SDK's default (a CRC32 on every upload and
    // download) is one that several S3-compatible stores do not implement yet.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
