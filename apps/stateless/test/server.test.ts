// The built server as a real process: how it starts, refuses bad configuration, and stops.
import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { ManagedProcess, startNodeServer } from "@cart/local-infra";
import { join } from "node:path";
import { loadConfig } from "../src/config";
import { testBucket, testDatabase } from "./instances";

const SCRIPT = join(__dirname, "..", "dist", "server.js");
const SECRET = "j".repeat(64);

const database = testDatabase();
const bucket = testBucket();

describe("the stateless server process", () => {
  it("serves, then exits 0 within 5 s of SIGTERM, closing its Redis and PostgreSQL connections", async () => {
    const env = {
      NODE_ENV: "production",
      JWT_SECRET: SECRET,
      REDIS_URL: process.env.REDIS_URL,
      DATABASE_URL: database.url,
      ...bucket.env,
      INSTANCE_ID: "stateless-1",
      // The run's Redis counts other files' failed logins of alice too: limits have tests of their own.
      ...NO_LOGIN_LIMITS,
    };
    const server = await startNodeServer({ name: "stateless-1", script: SCRIPT, env });
    const login = await fetch(`${server.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password: "pepperoni" }),
    }).catch((error: Error) => {
      // Once seen in CI under load (connection refused): say what the server printed, if it died.
      throw new Error(
        `${error.message}; running: ${server.process.running}; it printed:\n${server.process.recentOutput}`,
      );
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const wallet = await fetch(`${server.url}/wallet`, { headers: { authorization: `Bearer ${token}` } });
    expect(wallet.status).toBe(200);
    const started = Date.now();
    server.process.signal("SIGTERM");
    expect((await server.process.exited).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("logs one JSON line per request, with its id, the instance and the user, and never a password, token or secret", async () => {
    const env = {
      NODE_ENV: "production",
      JWT_SECRET: SECRET,
      REDIS_URL: process.env.REDIS_URL,
      DATABASE_URL: database.url,
      ...bucket.env,
      ...NO_LOGIN_LIMITS,
    };
    const server = await startNodeServer({ name: "stateless-logs", script: SCRIPT, env });
    try {
      const login = await fetch(`${server.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "alice", password: "pepperoni" }),
      });
      const { token } = (await login.json()) as { token: string };
      const cart = await fetch(`${server.url}/cart?note=${token}`, {
        headers: { authorization: `Bearer ${token}`, "x-request-id": "req-from-the-client-42" },
      });
      expect(cart.status).toBe(200);
      expect(cart.headers.get("x-request-id")).toBe("req-from-the-client-42");
    } finally {
      await server.process.stop();
    }
    const log = server.process.recentOutput;
    const lines = log
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        instance: "stateless-logs",
        userId: "alice",
        req: { id: "req-from-the-client-42", method: "GET", path: "/cart" },
        res: { status: 200 },
      }),
    );
    for (const secret of ["pepperoni", SECRET, "Bearer", "eyJ"]) expect(log).not.toContain(secret);
  });

  it("refuses to start without JWT_SECRET, REDIS_URL, DATABASE_URL and S3_BUCKET outside tests: exit 2, one line for each", async () => {
    const missing = { JWT_SECRET: "", REDIS_URL: "", DATABASE_URL: "", S3_BUCKET: "" };
    const server = await ManagedProcess.start("stateless", process.execPath, [SCRIPT], {
      env: { ...process.env, NODE_ENV: "production", ...missing, PORT: "0" },
    });
    expect((await server.exited).code).toBe(2);
    expect(server.recentOutput).toContain("JWT_SECRET: JWT_SECRET is required");
    expect(server.recentOutput).toContain("REDIS_URL: REDIS_URL is required");
    expect(server.recentOutput).toContain("DATABASE_URL: DATABASE_URL is required");
    expect(server.recentOutput).toContain("S3_BUCKET: S3_BUCKET is required");
  });

  it("refuses half a pair of S3 credentials, and an S3_ENDPOINT that is not a URL", () => {
    const env = { NODE_ENV: "test", REDIS_URL: "redis://unused:1", DATABASE_URL: "postgres://unused@127.0.0.1:1/x" };
    expect(() => loadConfig({ ...env, S3_BUCKET: "avatars", S3_ACCESS_KEY_ID: "key-without-its-secret" })).toThrow(
      "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both, or neither",
    );
    expect(() => loadConfig({ ...env, S3_BUCKET: "avatars", S3_ENDPOINT: "minio:9000" })).toThrow(
      "S3_ENDPOINT must look like http://host:port",
    );
  });
});
