// Runs one instance: PORT=3001 INSTANCE_ID=lab-1 SESSION_SECRET=... REDIS_URL=... node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { connectInBackground } from "@cart/redis-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";

void startOrExit(() => {
  const config = loadConfig();
  const redis = connectInBackground(config.redisUrl);
  const closeStores = async () => void (await redis.close());
  runServer(createApp(config, { redis }), { ...config, onShutdown: closeStores });
});
