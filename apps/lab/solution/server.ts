// LAB SOLUTION: runs one instance, with its Redis connection.
// PORT=3001 INSTANCE_ID=lab-1 SESSION_SECRET=... REDIS_URL=redis://127.0.0.1:6379 node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { createRedisClient } from "@cart/redis-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";

void startOrExit(() => {
  const config = loadConfig();
  const redis = createRedisClient(config.redisUrl);
  // Until Redis answers, /readyz says 503 and requests get STORE_UNAVAILABLE; the instance still starts.
  redis.connect().catch(() => undefined);
  runServer(createApp(config, redis), { ...config, onShutdown: () => redis.close() });
});
