// The two apps under comparison, and how to run one instance of each as a real process.
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";

export const APP_NAMES = ["stateful", "stateless"] as const;
export type AppName = (typeof APP_NAMES)[number];

export function serverScript(app: AppName): string {
  return join(dirname(require.resolve(`@cart/${app}/package.json`)), "dist", "server.js");
}

/** Secrets shared by every instance of one cluster, fresh for each run. */
export function clusterEnv(app: AppName, redisUrl: string): NodeJS.ProcessEnv {
  const secret = randomBytes(32).toString("hex");
  return app === "stateful"
    ? { NODE_ENV: "production", SESSION_SECRET: secret }
    : { NODE_ENV: "production", JWT_SECRET: secret, REDIS_URL: redisUrl };
}
