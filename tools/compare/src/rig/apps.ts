// The apps the suite runs, and how to run one instance of each as a real process: the two
// architectures under comparison, and the workshop's lab (the stateful app, which attendees
// make stateless, judged by the stateless app's expectations).
import { objectStoreEnv, type ObjectStoreConfig } from "@cart/s3-kit";
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

/** Where one cluster keeps its state outside its processes ("" or undefined for a store it does not use). */
export interface ClusterStores {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  /** The object store and the cluster's bucket on it. */
  readonly objectStore: ObjectStoreConfig | undefined;
}

/**
 * Whether the app keeps durable data in PostgreSQL, and files in object storage: the stateless app,
 * and the lab, which becomes it.
 */
export const usesSharedStores = (app: AppName) => app !== "stateful";

/** Secrets shared by every instance of one cluster, fresh for each run, and its stores. */
export function clusterEnv(app: AppName, { redisUrl, databaseUrl, objectStore }: ClusterStores): NodeJS.ProcessEnv {
  const secret = randomBytes(32).toString("hex");
  if (app === "stateful") return { NODE_ENV: "production", SESSION_SECRET: secret };
  const stores = { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, ...(objectStore && objectStoreEnv(objectStore)) };
  if (app === "lab") return { NODE_ENV: "production", SESSION_SECRET: secret, ...stores };
  return { NODE_ENV: "production", JWT_SECRET: secret, ...stores };
}
