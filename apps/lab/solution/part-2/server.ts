// Runs one instance: PORT=3001 INSTANCE_ID=lab-1 SESSION_SECRET=... REDIS_URL=... DATABASE_URL=... node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { openDatabase } from "@cart/pg-kit";
import { connectInBackground } from "@cart/redis-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";
import { prepareDatabase } from "./database";

void startOrExit(() => {
  const config = loadConfig();
  const redis = connectInBackground(config.redisUrl);
  const database = openDatabase(config.databaseUrl, prepareDatabase);
  const closeStores = async () => void (await Promise.all([redis.close(), database.close()]));
  runServer(createApp(config, { redis, database }), { ...config, onShutdown: closeStores });
});
