// LAB SOLUTION: runs one instance, with its Redis connection.
// PORT=3001 INSTANCE_ID=lab-1 SESSION_SECRET=... REDIS_URL=redis://127.0.0.1:6379 node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { connectInBackground } from "@cart/redis-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";

void startOrExit(() => {
  const config = loadConfig();
  const redis = connectInBackground(config.redisUrl);
  runServer(createApp(config, redis), { ...config, onShutdown: () => redis.close() });
});
