import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

/** A stateful instance as the tests run it: its own process memory, like a separate server. */
export const statefulInstance = (instanceId: string) =>
  createApp(loadConfig({ NODE_ENV: "test", INSTANCE_ID: instanceId }));
