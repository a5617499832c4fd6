// Configuration of one stateless instance, from the environment.
import { commonConfig, commonEnv, keyId, keyList, readEnv, redisUrl, secret, type CommonConfig } from "@cart/http-kit";

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

// Rotation: first add the new key to JWT_VERIFY_KEYS on every instance, then make it
// JWT_SECRET/JWT_KEY_ID and list the old one in JWT_VERIFY_KEYS until the last token it signed
// has expired.
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = readEnv(
    {
      ...commonEnv,
      JWT_SECRET: secret("JWT_SECRET"),
      JWT_KEY_ID: keyId("JWT_KEY_ID"),
      JWT_VERIFY_KEYS: keyList("JWT_VERIFY_KEYS"),
      REDIS_URL: redisUrl("REDIS_URL"),
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
