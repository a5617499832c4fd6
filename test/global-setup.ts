// Before any test: one line naming the optional programs this machine lacks (the tests that need
// them are skipped; with CI=true the run fails instead), then a private redis-server and a private
// PostgreSQL on free loopback ports, shared by the test files through REDIS_URL and DATABASE_URL
// (each file that needs PostgreSQL makes a database of its own there) — unless REDIS_URL or
// DATABASE_URL is already set, in which case that server is used.
import { inCi, LocalPostgresServer, LocalRedisServer, missingOptional } from "@cart/local-infra";

declare global {
  var __privateRedis: LocalRedisServer | undefined;
  var __privatePostgres: LocalPostgresServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = "test";
  const missing = missingOptional(["haproxy", "chromium"]);
  if (missing.length > 0) {
    const list = missing.map(({ name, why }) => `${name} (${why})`).join(", ");
    if (inCi()) throw new Error(`CI=true, and this machine lacks ${list}: install it (pnpm run doctor says how)`);
    process.stdout.write(
      `\npnpm test: this machine lacks ${list}: the tests that need it are skipped; pnpm run doctor says how to install it.\n`,
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
  ]);
  const failed = starts.find((start) => start.status === "rejected");
  if (failed) {
    await Promise.all([globalThis.__privateRedis?.stop(), globalThis.__privatePostgres?.stop()]);
    throw failed.reason;
  }
}
