// Before any test: a private redis-server on a free loopback port, shared by the test files
// through REDIS_URL — unless REDIS_URL is already set, in which case that Redis is used.
import { LocalRedisServer } from "@cart/local-infra";

declare global {
  var __privateRedis: LocalRedisServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = "test";
  if (process.env.REDIS_URL) return;
  globalThis.__privateRedis = await LocalRedisServer.start();
  process.env.REDIS_URL = globalThis.__privateRedis.url;
}
