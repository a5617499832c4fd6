// Before any test: one line naming the optional programs this machine lacks (the tests that need
// them are skipped; with CI=true the run fails instead), then a private redis-server on a free
// loopback port, shared by the test files through REDIS_URL — unless REDIS_URL is already set,
// in which case that Redis is used.
import { inCi, LocalRedisServer, missingOptional } from "@cart/local-infra";

declare global {
  var __privateRedis: LocalRedisServer | undefined;
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
  if (process.env.REDIS_URL) return;
  globalThis.__privateRedis = await LocalRedisServer.start();
  process.env.REDIS_URL = globalThis.__privateRedis.url;
}
