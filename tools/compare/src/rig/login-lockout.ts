// The brute-force journey locks alice, and the address every journey comes from (this machine's
// loopback), out of the stateless app's logins for a minute: its login limiters count in Redis
// (`rl:login-user:<username>`, `rl:login-client:<address>`, apps/stateless/src/app.ts). One given
// by REDIS_URL outlives the run, and the next run there within the minute would find alice locked
// out of every journey; with --store-rtt the journeys run twice on the lane's Redis. So the suite
// lifts the lock-out it made, and only that: alice's count and loopback's, not another client's.
import { createClient } from "@redis/client";

const USER_KEY = "rl:login-user:alice";
const CLIENT_KEYS = "rl:login-client:*";
/** 127.0.0.1, as IPv4 or IPv4-mapped IPv6, and ::1 (or the IPv6 subnet it is counted in). */
const LOOPBACK = /^rl:login-client:(127\.|::ffff:127\.|::1$|::\/\d+$)/;

export async function liftLoginLockout(redisUrl: string): Promise<void> {
  const redis = createClient({ url: redisUrl });
  // A store that went away meanwhile is the run's to report, not this clean-up's.
  redis.on("error", () => undefined);
  await redis.connect();
  try {
    const keys = [USER_KEY];
    for await (const batch of redis.scanIterator({ MATCH: CLIENT_KEYS, COUNT: 100 }))
      keys.push(...batch.filter((key) => LOOPBACK.test(key)));
    await redis.del(keys);
  } finally {
    await redis.close();
  }
}
