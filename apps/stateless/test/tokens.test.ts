// The lesson, as tests: any stateless instance recognises a token issued by any other, and a
// logout on one instance is seen by all of them, because the session record lives in Redis.
import { expectError } from "@cart/contract-suite";
import jwt from "jsonwebtoken";
import request from "supertest";
import { loadConfig } from "../src/config";
import { statelessInstances } from "./instances";

const ALICE = { username: "alice", password: "pepperoni" };
const { jwtKeys } = loadConfig({
  NODE_ENV: "test",
  REDIS_URL: "redis://unused:1",
  DATABASE_URL: "postgres://unused@127.0.0.1:1/unused",
  S3_BUCKET: "unused",
});
const jwtSecret = jwtKeys.secrets.get(jwtKeys.signingKeyId)!;
const keyid = jwtKeys.signingKeyId;

describe("stateless tokens", () => {
  const { instance } = statelessInstances();
  const first = instance("stateless-1");
  const second = instance("stateless-2");

  async function login() {
    const response = await request(first).post("/auth/login").send(ALICE).expect(200);
    return response.body.token as string;
  }

  describe("a login on stateless-1", () => {
    it("works on stateless-2, by bearer token and by cookie, with the same cart", async () => {
      const token = await login();
      await request(first)
        .post("/cart/items")
        .auth(token, { type: "bearer" })
        .send({ sku: "coke", quantity: 1 })
        .expect(200);
      const viaBearer = await request(second).get("/cart").auth(token, { type: "bearer" }).expect(200);
      expect(viaBearer.body.items).toEqual([expect.objectContaining({ sku: "coke", quantity: 1 })]);
      expect(viaBearer.headers["x-served-by"]).toBe("stateless-2");
      await request(second).get("/me").set("Cookie", `token=${token}`).expect(200);
    });

    it("is ended everywhere by a logout on stateless-2", async () => {
      const token = await login();
      await request(second).post("/auth/logout").auth(token, { type: "bearer" }).expect(204);
      expectError(await request(first).get("/me").auth(token, { type: "bearer" }), 401, "SESSION_ENDED");
      expectError(await request(second).get("/me").auth(token, { type: "bearer" }), 401, "SESSION_ENDED");
    });
  });

  describe("the token", () => {
    it("is HS256, names its key (kid), expires, and names the user and the session", async () => {
      const decoded = jwt.decode(await login(), { complete: true })!;
      const payload = decoded.payload as jwt.JwtPayload;
      expect(decoded.header.alg).toBe("HS256");
      expect(decoded.header.kid).toBe("1");
      expect(payload.sub).toBe("alice");
      expect(typeof payload.sid).toBe("string");
      expect(payload.exp! - payload.iat!).toBe(900);
    });
  });

  describe("a token that was", () => {
    async function claims() {
      return jwt.decode(await login()) as jwt.JwtPayload;
    }

    it("tampered with (payload changed, signature kept) is refused: 401 INVALID_TOKEN", async () => {
      const [header, , signature] = (await login()).split(".");
      const forged = Buffer.from(JSON.stringify({ ...(await claims()), sub: "bob" })).toString("base64url");
      expectError(
        await request(first).get("/me").auth(`${header}.${forged}.${signature}`, { type: "bearer" }),
        401,
        "INVALID_TOKEN",
      );
    });

    it('signed with alg "none" is refused: 401 INVALID_TOKEN', async () => {
      const unsigned = jwt.sign(await claims(), "", { algorithm: "none" });
      expectError(await request(first).get("/me").auth(unsigned, { type: "bearer" }), 401, "INVALID_TOKEN");
    });

    it("signed with another algorithm (HS512, same secret) is refused: 401 INVALID_TOKEN", async () => {
      const { iat: _iat, exp: _exp, ...rest } = await claims();
      const other = jwt.sign(rest, jwtSecret, { algorithm: "HS512", expiresIn: 60, keyid });
      expectError(await request(first).get("/me").auth(other, { type: "bearer" }), 401, "INVALID_TOKEN");
    });

    it("signed with another secret is refused: 401 INVALID_TOKEN", async () => {
      const { iat: _iat, exp: _exp, ...rest } = await claims();
      const other = jwt.sign(rest, "not-the-secret-0123456789abcdef0123", {
        algorithm: "HS256",
        expiresIn: 60,
        keyid,
      });
      expectError(await request(first).get("/me").auth(other, { type: "bearer" }), 401, "INVALID_TOKEN");
    });

    it("expired is refused: 401 TOKEN_EXPIRED", async () => {
      const { sub, sid } = await claims();
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.sign({ sub, sid, iat: now - 120, exp: now - 60 }, jwtSecret, {
        algorithm: "HS256",
        keyid,
      });
      expectError(await request(first).get("/me").auth(expired, { type: "bearer" }), 401, "TOKEN_EXPIRED");
    });

    it("signed with the right secret but without a key id (kid), or with one no server knows, is refused: 401 INVALID_TOKEN", async () => {
      const { iat: _iat, exp: _exp, ...rest } = await claims();
      for (const options of [{}, { keyid: "unknown" }]) {
        const token = jwt.sign(rest, jwtSecret, { algorithm: "HS256", expiresIn: 60, ...options });
        expectError(await request(first).get("/me").auth(token, { type: "bearer" }), 401, "INVALID_TOKEN");
      }
    });

    it("garbage is refused: 401 INVALID_TOKEN", async () => {
      expectError(await request(first).get("/me").auth("not.a.jwt", { type: "bearer" }), 401, "INVALID_TOKEN");
    });
  });
});

describe("rotating the JWT key, one instance after the other", () => {
  const OLD = "old-key-0123456789abcdef0123456789abcdef";
  const NEW = "new-key-0123456789abcdef0123456789abcdef";
  const { instance } = statelessInstances();
  // Step 1 on every instance: the new key is accepted, the old one still signs.
  const prepared = instance("stateless-1", {
    JWT_SECRET: OLD,
    JWT_KEY_ID: "2026-10",
    JWT_VERIFY_KEYS: `2026-11:${NEW}`,
  });
  // Step 2, instance by instance: the new key signs, the old one is still accepted.
  const rotated = instance("stateless-2", {
    JWT_SECRET: NEW,
    JWT_KEY_ID: "2026-11",
    JWT_VERIFY_KEYS: `2026-10:${OLD}`,
  });
  // Step 3, once the old tokens have expired: the old key is gone.
  const retired = instance("stateless-3", { JWT_SECRET: NEW, JWT_KEY_ID: "2026-11" });
  // What skipping step 1 looks like: an instance that has never heard of the new key.
  const unprepared = instance("stateless-4", { JWT_SECRET: OLD, JWT_KEY_ID: "2026-10" });

  const tokenFrom = async (app: typeof prepared) =>
    (await request(app).post("/auth/login").send(ALICE).expect(200)).body.token as string;

  it("keeps every session valid on both sides while the key changes", async () => {
    const oldToken = await tokenFrom(prepared);
    const newToken = await tokenFrom(rotated);
    expect(jwt.decode(oldToken, { complete: true })!.header.kid).toBe("2026-10");
    expect(jwt.decode(newToken, { complete: true })!.header.kid).toBe("2026-11");
    for (const app of [prepared, rotated]) {
      for (const token of [oldToken, newToken])
        await request(app).get("/me").auth(token, { type: "bearer" }).expect(200);
    }
  });

  it("refuses tokens of a retired key, and an instance that skipped step 1 refuses the new tokens", async () => {
    expectError(
      await request(retired)
        .get("/me")
        .auth(await tokenFrom(prepared), { type: "bearer" }),
      401,
      "INVALID_TOKEN",
    );
    expectError(
      await request(unprepared)
        .get("/me")
        .auth(await tokenFrom(rotated), { type: "bearer" }),
      401,
      "INVALID_TOKEN",
    );
    await request(retired)
      .get("/me")
      .auth(await tokenFrom(rotated), { type: "bearer" })
      .expect(200);
  });
});
