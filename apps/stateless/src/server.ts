// Runs one stateless instance: PORT=3001 INSTANCE_ID=stateless-1 JWT_SECRET=... REDIS_URL=... node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { connectInBackground } from "@cart/redis-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";

void startOrExit(() => {
  const config = loadConfig();
  const redis = connectInBackground(config.redisUrl);
  runServer(createApp(config, redis), { ...config, onShutdown: () => redis.close() });
});
