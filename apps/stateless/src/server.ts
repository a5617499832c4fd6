// Runs one stateless instance:
//   PORT=3001 INSTANCE_ID=stateless-1 JWT_SECRET=... REDIS_URL=... DATABASE_URL=... S3_ENDPOINT=... S3_BUCKET=... \
//   S3_ACCESS_KEY_ID=... S3_SECRET_ACCESS_KEY=... node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { openDatabase } from "@cart/pg-kit";
import { connectInBackground } from "@cart/redis-kit";
import { ObjectStore } from "@cart/s3-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";
import { prepareDatabase } from "./database";

void startOrExit(() => {
  const config = loadConfig();
  const redis = connectInBackground(config.redisUrl);
  const database = openDatabase(config.databaseUrl, prepareDatabase);
  const objectStore = new ObjectStore(config.objectStore);
  const closeStores = async () => void (await Promise.all([redis.close(), database.close(), objectStore.close()]));
  runServer(createApp(config, { redis, database, objectStore }), { ...config, onShutdown: closeStores });
});
