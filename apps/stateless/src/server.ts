// Runs one stateless instance: PORT=3001 INSTANCE_ID=stateless-1 JWT_SECRET=... REDIS_URL=... node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { createRedisClient } from "@cart/redis-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";

void startOrExit(() => {
  const config = loadConfig();
  const redis = createRedisClient(config.redisUrl);
  // Connecting goes on in the background: until Redis answers, /readyz says 503 and requests
  // get STORE_UNAVAILABLE, rather than the instance refusing to start.
  redis.connect().catch(() => undefined);
  runServer(createApp(config, redis), { ...config, onShutdown: () => redis.close() });
});
