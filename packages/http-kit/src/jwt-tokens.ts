// JWTs for the stateless app: the keys from the environment (JWT_SECRET signs new tokens under the
// key id JWT_KEY_ID; JWT_VERIFY_KEYS lists more keys that only verify, so that keys can be
// rotated), signing, and verifying with the algorithm pinned. Plumbing, kept out of the app so
// that its source shows the lesson: a signed token names a session record in the shared store.
import jwt from "jsonwebtoken";
import { createSecretKey, type KeyObject } from "node:crypto";
import { z } from "zod";
import { secret } from "./env";
import { unauthorized } from "./http-error";

const KEY_ID = /^[\w.-]{1,32}$/;

/** The id of the key that signs (a JWT's `kid`): "1" unless keys are being rotated. */
const keyId = (name: string) =>
  z.string().regex(KEY_ID, `${name} must be 1-32 letters, digits, '.', '_' or '-'`).default("1");

/** More keys by id, `kid:secret,kid:secret`, each a secret of 32 characters or more (optional). */
const keyList = (name: string) =>
  z
    .string()
    .transform((list, ctx) => {
      const keys = new Map<string, string>();
      for (const entry of list.split(",").map((part) => part.trim())) {
        const [kid = "", ...rest] = entry.split(":");
        const value = rest.join(":");
        if (!KEY_ID.test(kid) || value.length < 32) {
          ctx.addIssue({
            code: "custom",
            message: `${name} must be kid:secret pairs separated by commas, each secret at least 32 characters`,
          });
          return z.NEVER;
        }
        keys.set(kid, value);
      }
      return keys;
    })
    .optional();

/** The variables of a key ring, for readEnv. */
export const jwtKeyEnv = {
  JWT_SECRET: secret("JWT_SECRET", "signs JWTs (HS256), the same on every instance"),
  JWT_KEY_ID: keyId("JWT_KEY_ID").describe("the `kid` of `JWT_SECRET`, written into every token it signs"),
  JWT_VERIFY_KEYS: keyList("JWT_VERIFY_KEYS").describe(
    "more keys that verify (not sign) tokens, `kid:secret,kid:secret`: for key rotation",
  ),
};

/** JWT keys by id (`kid`): one signs new tokens, every one verifies. */
export interface JwtKeys {
  readonly signingKeyId: string;
  /**
   * Made once, at start-up: handed a string, jsonwebtoken turns it into a key on every call
   * (trying a public key first), which cost a stateless instance over a third of its CPU.
   */
  readonly secrets: ReadonlyMap<string, KeyObject>;
}

// Rotation: first add the new key to JWT_VERIFY_KEYS on every instance, then make it
// JWT_SECRET/JWT_KEY_ID and list the old one in JWT_VERIFY_KEYS until the last token it signed
// has expired.
export function jwtKeys(vars: z.infer<z.ZodObject<typeof jwtKeyEnv>>): JwtKeys {
  const secrets = new Map(vars.JWT_VERIFY_KEYS);
  secrets.set(vars.JWT_KEY_ID, vars.JWT_SECRET);
  const keys = new Map([...secrets].map(([kid, secret]) => [kid, createSecretKey(Buffer.from(secret, "utf8"))]));
  return { signingKeyId: vars.JWT_KEY_ID, secrets: keys };
}

/** What a token says: whose it is (`sub`) and which session record it names (`sid`). */
export interface TokenClaims {
  readonly sub: string;
  readonly sid: string;
}

/** A token for `claims`, signed with the signing key (HS256), valid for `ttlSeconds`. */
export function signToken(keys: JwtKeys, { sub, sid }: TokenClaims, ttlSeconds: number): string {
  return jwt.sign({ sid }, keys.secrets.get(keys.signingKeyId)!, {
    algorithm: "HS256",
    keyid: keys.signingKeyId,
    subject: sub,
    expiresIn: ttlSeconds,
  });
}

/** A valid token's claims, and when it expires (ms since the epoch). */
export interface VerifiedToken extends TokenClaims {
  readonly expiresAt: number;
}

/** The claims of a valid token; a 401 (INVALID_TOKEN, TOKEN_EXPIRED) otherwise. */
export function verifyToken(keys: JwtKeys, token: string): VerifiedToken {
  // The key is chosen by the token's `kid`, among the keys this server was given.
  const kid = jwt.decode(token, { complete: true })?.header.kid;
  const key = kid === undefined ? undefined : keys.secrets.get(kid);
  if (key === undefined) throw invalidToken();
  let claims: string | jwt.JwtPayload;
  try {
    // The algorithm is pinned: "none" and every other algorithm are refused.
    claims = jwt.verify(token, key, { algorithms: ["HS256"] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError)
      throw unauthorized("TOKEN_EXPIRED", "The token has expired; log in again");
    throw invalidToken();
  }
  if (
    typeof claims === "string" ||
    typeof claims.sub !== "string" ||
    typeof claims.sid !== "string" ||
    typeof claims.exp !== "number"
  ) {
    throw invalidToken();
  }
  return { sub: claims.sub, sid: claims.sid, expiresAt: claims.exp * 1000 };
}

const invalidToken = () => unauthorized("INVALID_TOKEN", "The token is not valid");
