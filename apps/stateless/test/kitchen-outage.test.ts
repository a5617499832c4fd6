// A server lives through its database's outage while its kitchen cooks: PostgreSQL crashes
// (`pg_ctl -m immediate stop`) or freezes (SIGSTOP) while an order is being cooked, and stays away
// across the moment the cooking ends, when the worker must record the order ready and report its
// job done to a database that is not there. The server stays up (/healthz 200, /readyz 503 while
// the database is away, 200 after), and once the database is back the order is ready, cooked once.
import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import type { Order } from "@cart/domain";
import { LocalPostgresServer, startNodeServer, type NodeServer } from "@cart/local-infra";
import { createPgPool, scratchDatabase, type ScratchDatabase } from "@cart/pg-kit";
import { join } from "node:path";
import { prepareDatabase } from "../src/database";
import { testBucket } from "./instances";

const SCRIPT = join(__dirname, "..", "dist", "server.js");
/** One pizza cooks for 3 s (its job's lease: 9 s); the database is away for 4 s from the start of `preparing`. */
const KITCHEN_MS = 3000;
const OUTAGE_MS = 4000;
/** A few leases after the database is back: enough for a job whose report was lost to come round again. */
const READY_WITHIN_MS = 30_000;

// A PostgreSQL of this file's own, since it crashes and freezes it.
let postgres: LocalPostgresServer;
let scratch: ScratchDatabase;
const bucket = testBucket();
const servers: NodeServer[] = [];

beforeAll(async () => {
  postgres = await LocalPostgresServer.start();
  scratch = scratchDatabase(postgres.url(), "kitchen");
  await scratch.create();
  const pool = createPgPool(scratch.url);
  await prepareDatabase(pool).finally(() => pool.end());
});

afterEach(() => Promise.all(servers.splice(0).map((server) => server.process.stop())));

afterAll(async () => {
  if (postgres.running) await scratch.drop();
  await postgres.stop();
});

async function startServer(): Promise<NodeServer> {
  const env = {
    NODE_ENV: "production",
    JWT_SECRET: "k".repeat(64),
    REDIS_URL: process.env.REDIS_URL,
    DATABASE_URL: scratch.url,
    ...bucket.env,
    ...NO_LOGIN_LIMITS,
    INSTANCE_ID: "stateless-1",
    LOG_LEVEL: "warn",
    KITCHEN_MS: String(KITCHEN_MS),
    KITCHEN_WORKERS: "1",
  };
  const server = await startNodeServer({ name: "stateless-1", script: SCRIPT, env });
  servers.push(server);
  return server;
}

/** Dave, logged in on `server`, with one pepperoni pizza checked out: the order's id. */
async function daveOrdersAPizza(server: NodeServer) {
  const call = async (path: string, init: RequestInit = {}, token?: string) => {
    const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(`${server.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(5000) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const login = await call("/auth/login", {
    method: "POST",
    body: JSON.stringify({ username: "dave", password: "diavola" }),
  });
  const token = login.body.token as string;
  const added = await call(
    "/cart/items",
    { method: "POST", body: JSON.stringify({ sku: "pepperoni-pizza", quantity: 1 }) },
    token,
  );
  expect(added.status).toBe(200);
  const checkout = await call("/checkout", { method: "POST" }, token);
  expect(checkout.status).toBe(201);
  const id = (checkout.body.order as Order).id;
  /** The order as GET /orders/:id gives it, or undefined while the database is away. */
  const order = async () => {
    const { status, body } = await call(`/orders/${id}`, {}, token);
    return status === 200 ? (body.order as Order) : undefined;
  };
  return { id, order };
}

async function until<T>(what: string, ms: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The states of the order's job in the queue (pg-boss's table; a job done is `completed`). */
async function jobStates(orderId: string): Promise<string[]> {
  const pool = createPgPool(scratch.url);
  try {
    const { rows } = await pool.query<{ state: string }>("SELECT state FROM pgboss.job WHERE data->>'orderId' = $1", [
      orderId,
    ]);
    return rows.map((row) => row.state);
  } finally {
    await pool.end();
  }
}

const status = (server: NodeServer, path: string) =>
  fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(3000) }).then(
    (response) => response.status,
    () => 0,
  );

const outages = [
  {
    name: "crashes (pg_ctl -m immediate stop)",
    begin: () => postgres.crash(),
    end: () => postgres.startAgain(),
  },
  {
    name: "freezes (SIGSTOP to the postmaster and its backends)",
    begin: async () => postgres.freeze(),
    end: async () => postgres.resume(),
  },
];

describe.each(outages)("PostgreSQL $name while an order cooks, until after its cooking has ended", (outage) => {
  it("leaves the server up (/healthz 200, /readyz 503 then 200), and the order ready, cooked once, once it is back", async () => {
    const server = await startServer();
    await until("/readyz 200 at start", 10_000, async () =>
      (await status(server, "/readyz")) === 200 ? true : undefined,
    );
    const dave = await daveOrdersAPizza(server);
    const preparing = await until("the order preparing", 5000, async () => {
      const order = await dave.order();
      return order?.status === "preparing" ? order : undefined;
    });

    const began = Date.now();
    await outage.begin();
    const seen = { healthz: new Set<number>(), readyz: new Set<number>() };
    try {
      for (const away = Date.now() + OUTAGE_MS; Date.now() < away;) {
        const [healthz, readyz] = await Promise.all([status(server, "/healthz"), status(server, "/readyz")]);
        seen.healthz.add(healthz);
        seen.readyz.add(readyz);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await outage.end();
    }
    // The database was away when the cooking ended, and the finished job had to be reported.
    const cooked = Date.parse(preparing.startedAt!) + KITCHEN_MS;
    expect({ began: began < cooked, ended: Date.now() > cooked }).toEqual({ began: true, ended: true });
    expect([...seen.healthz]).toEqual([200]);
    expect(seen.readyz.has(503)).toBe(true);
    expect(seen.readyz.has(200)).toBe(false);

    let last: Order | undefined;
    const ready = await until("the order ready", READY_WITHIN_MS, async () => {
      if (!server.process.running) throw new Error(`the server exited; its output:\n${server.process.recentOutput}`);
      last = await dave.order();
      return last?.status === "ready" ? last : undefined;
    }).catch((error: Error) => {
      throw new Error(
        `${error.message}; the order: ${JSON.stringify(last)}; the server's output:\n${server.process.recentOutput}`,
      );
    });
    expect(ready).toMatchObject({ status: "ready", preparedBy: "stateless-1", cooked: 1 });
    // Its job is reported done too: nothing of it is left to come round again.
    await until("the order's job completed", READY_WITHIN_MS, async () =>
      (await jobStates(dave.id)).join() === "completed" ? true : undefined,
    );
    expect(await status(server, "/readyz")).toBe(200);
    expect(server.process.running).toBe(true);
    expect(server.process.recentOutput).not.toMatch(/unhandled|Unhandled/);
  }, 60_000);
});
