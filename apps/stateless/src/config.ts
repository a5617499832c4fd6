// Configuration of one stateless instance, from the environment.
import { commonConfig, commonEnv, readEnv, secret, type CommonConfig } from "@cart/http-kit";
import { z } from "zod";

export interface AppConfig extends CommonConfig {
  /** Signs and verifies JWTs (HS256); every instance shares it. */
  readonly jwtSecret: string;
  readonly redisUrl: string;
}

const TEST_DEFAULTS = { JWT_SECRET: "test-only-jwt-secret-0123456789abcdef" };

const redisUrl = z
  .string({ message: "REDIS_URL is required, e.g. redis://127.0.0.1:6379" })
  .regex(/^rediss?:\/\/\S+$/, "REDIS_URL must look like redis://host:port");

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = readEnv({ ...commonEnv, JWT_SECRET: secret("JWT_SECRET"), REDIS_URL: redisUrl }, env, TEST_DEFAULTS);
  return { ...commonConfig(vars, "stateless"), jwtSecret: vars.JWT_SECRET, redisUrl: vars.REDIS_URL };
}
