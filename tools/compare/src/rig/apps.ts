// The apps the suite runs, and how to run one instance of each as a real process: the two
// architectures under comparison, and the workshop's lab (the stateful app, which attendees
// make stateless, judged by the stateless app's expectations).
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import type { AppName } from "../vocabulary";

/** Where the lab lives: apps/lab, or LAB_DIR (another attempt beside it, say). */
export function labDir(): string {
  return process.env.LAB_DIR ? resolve(process.env.LAB_DIR) : dirname(require.resolve("@cart/lab/package.json"));
}

export function serverScript(app: AppName): string {
  const home = app === "lab" ? labDir() : dirname(require.resolve(`@cart/${app}/package.json`));
  return join(home, "dist", "server.js");
}

/** Secrets shared by every instance of one cluster, fresh for each run. */
export function clusterEnv(app: AppName, redisUrl: string): NodeJS.ProcessEnv {
  const secret = randomBytes(32).toString("hex");
  if (app === "stateful") return { NODE_ENV: "production", SESSION_SECRET: secret };
  if (app === "lab") return { NODE_ENV: "production", SESSION_SECRET: secret, REDIS_URL: redisUrl };
  return { NODE_ENV: "production", JWT_SECRET: secret, REDIS_URL: redisUrl };
}
