// Configuration of one stateless instance, from the environment.
import { checkedTogether, commonConfig, commonEnv, readEnv, type CommonConfig } from "@cart/http-kit";
import { jwtKeyEnv, jwtKeys, type JwtKeys } from "@cart/http-kit/jwt-tokens";
import { databaseUrl } from "@cart/pg-kit";
import { redisUrl, waitReplicasEnv } from "@cart/redis-kit";
import { objectStoreConfig, s3Env, type ObjectStoreConfig } from "@cart/s3-kit";

export interface AppConfig extends CommonConfig {
  /** Sign and verify the JWTs (more than one key while one is being rotated out). */
  readonly jwtKeys: JwtKeys;
  readonly redisUrl: string;
  /** How many Redis replicas a login, a logout and a checkout wait for before they answer (0: none). */
  readonly redisWaitReplicas: number;
  readonly databaseUrl: string;
  /** Where avatars are kept. */
  readonly objectStore: ObjectStoreConfig;
}

const TEST_DEFAULTS = { JWT_SECRET: "test-only-jwt-secret-0123456789abcdef" };

/** The variables this app reads (its line in the docs' table is each one's description). */
export const ENV = {
  ...commonEnv,
  ...jwtKeyEnv,
  REDIS_URL: redisUrl("REDIS_URL"),
  ...waitReplicasEnv,
  DATABASE_URL: databaseUrl("DATABASE_URL"),
  ...s3Env,
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = readEnv(ENV, env, TEST_DEFAULTS);
  return {
    ...commonConfig(vars, "stateless"),
    jwtKeys: jwtKeys(vars),
    redisUrl: vars.REDIS_URL,
    redisWaitReplicas: vars.REDIS_WAIT_REPLICAS,
    databaseUrl: vars.DATABASE_URL,
    objectStore: checkedTogether(() => objectStoreConfig(vars)),
  };
}
