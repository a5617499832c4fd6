// Where an app that keeps files in S3-compatible object storage finds them, as configuration
// variables for readEnv. Any S3-compatible store works: AWS S3 (no S3_ENDPOINT), MinIO, R2, Garage.
import { z } from "zod";

export const s3Env = {
  /** The store's URL; unset for AWS S3 itself (the SDK knows its endpoints). */
  S3_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/\S+$/, "S3_ENDPOINT must look like http://host:port (or https://)")
    .optional()
    .describe("an S3-compatible store's URL, e.g. `http://127.0.0.1:9000` (none: AWS S3)"),
  S3_REGION: z.string().min(1).default("us-east-1").describe("the bucket's region"),
  // The S3 rules for bucket names: 3-63 lower-case letters, digits, '.' and '-'.
  S3_BUCKET: z
    .string({ message: "S3_BUCKET is required: the bucket avatars are kept in, e.g. avatars" })
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "S3_BUCKET must be 3-63 lower-case letters, digits, '.' or '-'")
    .describe("the bucket avatars are kept in (made by the instances if missing)"),
  // Both or neither: without them, the SDK's own chain (AWS_* variables, an instance role…).
  S3_ACCESS_KEY_ID: z
    .string()
    .optional()
    .describe("with `S3_SECRET_ACCESS_KEY` (both or neither; neither: the AWS SDK's own credentials)"),
  S3_SECRET_ACCESS_KEY: z.string().optional().describe("see `S3_ACCESS_KEY_ID`"),
  // Path-style (http://host/bucket/key) is what self-hosted stores serve; AWS prefers host-style.
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false"], { message: "S3_FORCE_PATH_STYLE must be true or false" })
    .optional()
    .describe("`http://host/bucket/key` addressing, which self-hosted stores serve (none: `true` with an endpoint)"),
};

export interface ObjectStoreConfig {
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly bucket: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  readonly forcePathStyle: boolean;
}

type S3Vars = z.infer<z.ZodObject<typeof s3Env>>;

/** The object store's settings; throws the problems (one line each) if the variables disagree. */
export function objectStoreConfig(vars: S3Vars): ObjectStoreConfig {
  const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = vars;
  if (!accessKeyId !== !secretAccessKey) {
    throw new Error("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both, or neither (the AWS SDK's own credentials)");
  }
  return {
    endpoint: vars.S3_ENDPOINT,
    region: vars.S3_REGION,
    bucket: vars.S3_BUCKET,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: vars.S3_FORCE_PATH_STYLE ? vars.S3_FORCE_PATH_STYLE === "true" : vars.S3_ENDPOINT !== undefined,
  };
}

/** The variables that point an app at `config`'s store (for the suite to hand to the processes it starts). */
export function objectStoreEnv(config: ObjectStoreConfig): Record<string, string> {
  return {
    ...(config.endpoint ? { S3_ENDPOINT: config.endpoint } : {}),
    S3_REGION: config.region,
    S3_BUCKET: config.bucket,
    ...(config.credentials
      ? { S3_ACCESS_KEY_ID: config.credentials.accessKeyId, S3_SECRET_ACCESS_KEY: config.credentials.secretAccessKey }
      : {}),
    S3_FORCE_PATH_STYLE: String(config.forcePathStyle),
  };
}

/**
 * The store the S3_* variables of `env` name, for the tools that make buckets of their own on it
 * (tests, the suite): S3_BUCKET is not needed, and is a placeholder unless given.
 */
export function objectStoreFromEnv(env: NodeJS.ProcessEnv): ObjectStoreConfig {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value)); // FOO= is unset
  const parsed = z.object(s3Env).safeParse({ S3_BUCKET: "placeholder", ...given });
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  return objectStoreConfig(parsed.data);
}
