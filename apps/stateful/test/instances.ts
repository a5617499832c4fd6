import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

/**
 * A stateful instance as the tests run it: its own process memory, like a separate server. Login
 * limits are out of the way unless a test sets them (`env`): they have tests of their own.
 */
export const statefulInstance = (instanceId: string, env: Record<string, string> = {}) =>
  createApp(loadConfig({ NODE_ENV: "test", INSTANCE_ID: instanceId, ...NO_LOGIN_LIMITS, ...env }));
