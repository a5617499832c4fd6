// Configuration of one instance, from the environment.
import { writableDirectory } from "@cart/disk-kit";
import { commonConfig, commonEnv, readEnv, secret, type CommonConfig } from "@cart/http-kit";
import { databaseUrl } from "@cart/pg-kit";
import { redisUrl, waitReplicasEnv } from "@cart/redis-kit";

export interface AppConfig extends CommonConfig {
  /** Signs the session cookie. */
  readonly sessionSecret: string;
  /** Where this server keeps avatars: a directory of its own (undefined: a new temporary one). */
  readonly avatarDir: string | undefined;
  readonly redisUrl: string;
  /** How many Redis replicas a login, a logout and a checkout wait for before they answer (0: none). */
  readonly redisWaitReplicas: number;
  readonly databaseUrl: string;
}

const TEST_DEFAULTS = { SESSION_SECRET: "test-only-session-secret-0123456789abcdef" };

/** The variables this app reads (its line in the docs' table is each one's description). */
export const ENV = {
  ...commonEnv,
  SESSION_SECRET: secret("SESSION_SECRET", "signs the session cookie"),
  AVATAR_DIR: writableDirectory("this server's own directory for avatars"),
  REDIS_URL: redisUrl("REDIS_URL"),
  ...waitReplicasEnv,
  DATABASE_URL: databaseUrl("DATABASE_URL"),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = readEnv(ENV, env, TEST_DEFAULTS);
  return {
    ...commonConfig(vars, "lab"),
    sessionSecret: vars.SESSION_SECRET,
    avatarDir: vars.AVATAR_DIR,
    redisUrl: vars.REDIS_URL,
    redisWaitReplicas: vars.REDIS_WAIT_REPLICAS,
    databaseUrl: vars.DATABASE_URL,
  };
}
