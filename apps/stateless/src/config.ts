// Configuration of one stateless instance, from the environment.
import { commonConfig, commonEnv, readEnv, secret, type CommonConfig } from "@cart/http-kit";
import { z } from "zod";

/** JWT keys by id (`kid`): one signs new tokens, every one verifies (so keys can be rotated). */
export interface JwtKeys {
  readonly signingKeyId: string;
  readonly secrets: ReadonlyMap<string, string>;
}

export interface AppConfig extends CommonConfig {
  readonly jwtKeys: JwtKeys;
  readonly redisUrl: string;
}

const TEST_DEFAULTS = { JWT_SECRET: "test-only-jwt-secret-0123456789abcdef" };

const redisUrl = z
  .string({ message: "REDIS_URL is required, e.g. redis://127.0.0.1:6379" })
  .regex(/^rediss?:\/\/\S+$/, "REDIS_URL must look like redis://host:port");

const KEY_ID = /^[\w.-]{1,32}$/;
const keyId = z.string().regex(KEY_ID, "JWT_KEY_ID must be 1-32 letters, digits, '.', '_' or '-'").default("1");

// Rotation: first add the new key here on every instance, then make it JWT_SECRET/JWT_KEY_ID and
// list the old one here until the last token it signed has expired.
const verifyKeys = z
  .string()
  .transform((list, ctx) => {
    const keys = new Map<string, string>();
    for (const entry of list.split(",").map((part) => part.trim())) {
      const [kid = "", ...rest] = entry.split(":");
      const value = rest.join(":");
      if (!KEY_ID.test(kid) || value.length < 32) {
        ctx.addIssue({
          code: "custom",
          message: "JWT_VERIFY_KEYS must be kid:secret pairs separated by commas, each secret at least 32 characters",
        });
        return z.NEVER;
      }
      keys.set(kid, value);
    }
    return keys;
  })
  .optional();

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = readEnv(
    {
      ...commonEnv,
      JWT_SECRET: secret("JWT_SECRET"),
      JWT_KEY_ID: keyId,
      JWT_VERIFY_KEYS: verifyKeys,
      REDIS_URL: redisUrl,
    },
    env,
    TEST_DEFAULTS,
  );
  const secrets = new Map(vars.JWT_VERIFY_KEYS);
  secrets.set(vars.JWT_KEY_ID, vars.JWT_SECRET);
  return {
    ...commonConfig(vars, "stateless"),
    jwtKeys: { signingKeyId: vars.JWT_KEY_ID, secrets },
    redisUrl: vars.REDIS_URL,
  };
}
