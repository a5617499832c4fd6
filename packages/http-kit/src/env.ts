// Configuration from environment variables, checked once at start-up. Every problem is reported
// on its own line naming the variable, so a wrong deployment fails loudly and clearly.
import type { KitchenSettings } from "@cart/domain";
import { hostname } from "node:os";
import { z } from "zod";
import type { LoginLimitConfig } from "./login-limits";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const whole = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

/** A secret: required (outside NODE_ENV=test) and long enough to resist guessing; `what` it does. */
export const secret = (name: string, what: string) =>
  z
    .string({ message: `${name} is required (generate one with: openssl rand -hex 32)` })
    .min(32, `${name} must be at least 32 characters (generate one with: openssl rand -hex 32)`)
    .describe(`${what}; at least 32 characters (\`openssl rand -hex 32\`)`);

/** Variables both apps read. */
// Each variable's description is its line in the docs' table (pnpm docs:render: env).
export const commonEnv = {
  PORT: whole("PORT", 0, 65535).default(3000).describe("port to listen on"),
  HOST: z.string().min(1).default("127.0.0.1").describe("address to listen on (`0.0.0.0` in a container)"),
  INSTANCE_ID: z
    .string()
    .regex(/^[\w.-]{1,64}$/, "INSTANCE_ID must be 1-64 letters, digits, '.', '_' or '-'")
    .optional()
    .describe("name in `X-Served-By` and `/healthz`, e.g. `stateful-2` (none: `<app>@<hostname>`)"),
  SESSION_TTL_SECONDS: whole("SESSION_TTL_SECONDS", 10, 7 * 24 * 3600)
    .default(900)
    .describe("session lifetime (stateful cookie; stateless JWT expiry, Redis TTL of sessions and carts)"),
  // Which proxies' X-Forwarded-For to believe (Express's `trust proxy`): the client's address
  // decides its login limit, so only a balancer we run may set it.
  TRUST_PROXY: z
    .string()
    .min(1)
    .default("loopback")
    .describe(
      "whose `X-Forwarded-For` to believe (Express `trust proxy`); `uniquelocal` behind a balancer on a private network",
    ),
  NODE_ENV: z.string().optional().describe("`test`: missing secrets take fixed test values, and logs are silent"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .optional()
    .describe("pino level of the JSON logs (none: `info`, `silent` under `NODE_ENV=test`)"),
  LOGIN_MAX_FAILURES: whole("LOGIN_MAX_FAILURES", 1, 1_000_000)
    .default(5)
    .describe("failed logins per username per window, then 429"),
  LOGIN_MAX_FAILURES_PER_CLIENT: whole("LOGIN_MAX_FAILURES_PER_CLIENT", 1, 1_000_000)
    .default(20)
    .describe("failed logins per client address per window"),
  LOGIN_WINDOW_SECONDS: whole("LOGIN_WINDOW_SECONDS", 1, 24 * 3600)
    .default(60)
    .describe("the login limits' window"),
  // The kitchen: how long a pizza cooks, and how many orders this server cooks at once.
  KITCHEN_MS: whole("KITCHEN_MS", 0, 60_000)
    .default(500)
    .describe("how long the kitchen cooks one pizza (0..60000 ms); drinks and toppings take none"),
  KITCHEN_WORKERS: whole("KITCHEN_WORKERS", 0, 32)
    .default(2)
    .describe("how many orders this server cooks at once (0..32; 0: it cooks none, others do)"),
};

/** What both apps configure alike. */
export interface CommonConfig extends LoginLimitConfig {
  readonly host: string;
  readonly port: number;
  readonly instanceId: string;
  readonly sessionTtlSeconds: number;
  /** Express's `trust proxy`: `loopback` locally, `uniquelocal` behind a balancer on a private network. */
  readonly trustProxy: string;
  /** pino's level (LOG_LEVEL): info by default, silent under NODE_ENV=test. */
  readonly logLevel: string;
  /** This server's kitchen: its name, KITCHEN_MS per pizza, KITCHEN_WORKERS orders at once (0: none). */
  readonly kitchen: KitchenSettings;
}

type CommonVars = z.infer<z.ZodObject<typeof commonEnv>>;

export function commonConfig(vars: CommonVars, appName: string): CommonConfig {
  const instanceId = vars.INSTANCE_ID ?? `${appName}@${hostname()}`;
  return {
    host: vars.HOST,
    port: vars.PORT,
    instanceId,
    sessionTtlSeconds: vars.SESSION_TTL_SECONDS,
    trustProxy: vars.TRUST_PROXY,
    // Tests run apps in-process by the dozen: quiet unless asked.
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === "test" ? "silent" : "info"),
    loginMaxFailures: vars.LOGIN_MAX_FAILURES,
    loginMaxFailuresPerClient: vars.LOGIN_MAX_FAILURES_PER_CLIENT,
    loginWindowSeconds: vars.LOGIN_WINDOW_SECONDS,
    kitchen: { instanceId, kitchenMs: vars.KITCHEN_MS, workers: vars.KITCHEN_WORKERS },
  };
}

/**
 * Settings made from variables that each passed readEnv but may disagree with one another (half a
 * pair of credentials, say): `make`'s error becomes a ConfigError, its one line.
 */
export function checkedTogether<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

/**
 * Parses `env` with `shape`. Under NODE_ENV=test, missing variables named in `testDefaults`
 * take those values, so tests need no secrets; anywhere else they must be set.
 */
export function readEnv<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv,
  testDefaults: Record<string, string> = {},
): z.infer<z.ZodObject<S>> {
  const input = env.NODE_ENV === "test" ? { ...testDefaults, ...definedOnly(env) } : definedOnly(env);
  const result = z.object(shape).safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
}

// An empty variable (FOO=) counts as missing, the way people mean it.
function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
