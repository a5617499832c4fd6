// Before any test: one line naming the optional programs this machine lacks (the tests that need
// them are skipped; with CI=true the run fails instead), then a private redis-server, a private
// PostgreSQL and a private S3-compatible server on free loopback ports, shared by the test files
// through REDIS_URL, DATABASE_URL and S3_ENDPOINT (each file that needs PostgreSQL or object
// storage makes a database or a bucket of its own there) — unless one of those is already set,
// in which case that server is used.
import globalTeardown from "./global-teardown";
import { inCi, LocalPostgresServer, LocalRedisServer, LocalS3Server, missingOptional } from "@cart/local-infra";

declare global {
  var __privateRedis: LocalRedisServer | undefined;
  var __privatePostgres: LocalPostgresServer | undefined;
  var __privateS3: LocalS3Server | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = "test";
  const missing = missingOptional(["haproxy", "chromium", "podman"]);
  if (missing.length > 0) {
    const list = missing.map(({ name, why }) => `${name} (${why})`).join(", ");
    if (inCi()) throw new Error(`CI=true, and this machine lacks ${list}: install it (pnpm preflight says how)`);
    process.stdout.write(
      `\npnpm test: this machine lacks ${list}: the tests that need it are skipped; pnpm preflight says how to install it.\n`,
    );
  }
  // Side by side; if one fails to start, the other is stopped before the run fails.
  const starts = await Promise.allSettled([
    process.env.REDIS_URL ||
      LocalRedisServer.start().then((redis) => {
        globalThis.__privateRedis = redis;
        process.env.REDIS_URL = redis.url;
      }),
    process.env.DATABASE_URL ||
      LocalPostgresServer.start().then((postgres) => {
        globalThis.__privatePostgres = postgres;
        process.env.DATABASE_URL = postgres.url();
      }),
    process.env.S3_ENDPOINT ||
      LocalS3Server.start().then((s3) => {
        globalThis.__privateS3 = s3;
        Object.assign(process.env, {
          S3_ENDPOINT: s3.endpoint,
          S3_REGION: LocalS3Server.region,
          S3_ACCESS_KEY_ID: LocalS3Server.credentials.accessKeyId,
          S3_SECRET_ACCESS_KEY: LocalS3Server.credentials.secretAccessKey,
        });
      }),
  ]);
  const failed = starts.find((start) => start.status === "rejected");
  if (failed) {
    await globalTeardown();
    throw failed.reason;
  }
}
