// Runs one stateful instance: PORT=3001 INSTANCE_ID=stateful-1 SESSION_SECRET=... node dist/server.js
import { runServer, startOrExit } from "@cart/http-kit";
import { createApp } from "./app";
import { loadConfig } from "./config";

void startOrExit(() => {
  const config = loadConfig();
  runServer(createApp(config), { ...config });
});
