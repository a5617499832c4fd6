// The kitchen's promise, "cooked once, however often its job is delivered", earned rather than
// assumed: the guard's conditional writes against the real database (and a variant without them,
// which cooks twice), then a real server whose worker stalls past its lease (SIGSTOP) while
// another server gets the job and cooks the order, and whose late finish the guard refuses.
import { NO_LOGIN_LIMITS } from "@cart/contract-suite";
import { createOrder, type Order } from "@cart/domain";
import { startNodeServer, type NodeServer } from "@cart/local-infra";
import { createPgPool, scratchDatabase, type Database } from "@cart/pg-kit";
import { join } from "node:path";
import { PgAccountRepository } from "../src/account-repository";
import { prepareDatabase } from "../src/database";
import { testBucket, testDatabase } from "./instances";

const SCRIPT = join(__dirname, "..", "dist", "server.js");
const database = testDatabase();
const bucket = testBucket();

/** The app's repository, minus the guard: it records every finish, whatever the order's state. */
class UnguardedAccountRepository extends PgAccountRepository {
  constructor(private readonly db: Database) {
    super(db, database.kitchenQueue(db));
  }

  override async finish(orderId: string, _attempt: number, at: Date): Promise<boolean> {
    const { rowCount } = await this.db.pool.query(
      "UPDATE orders SET status = 'ready', ready_at = $2, cooked = cooked + 1 WHERE id = $1",
      [orderId, at],
    );
    return rowCount === 1;
  }
}

describe("a new database", () => {
  it("is prepared, pg-boss's tables included, by three instances starting at the same moment, each on its first try", async () => {
    // Without a lock around pg-boss's install, two of three failed here most times.
    for (let trial = 0; trial < 3; trial++) {
      const scratch = scratchDatabase(process.env.DATABASE_URL!, "kitchen");
      await scratch.create();
      const pools = Array.from({ length: 3 }, () => createPgPool(scratch.url));
      try {
        const tries = await Promise.allSettled(pools.map((pool) => prepareDatabase(pool)));
        expect(tries.filter((one) => one.status === "rejected")).toEqual([]);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
        await scratch.drop();
      }
    }
  });
});

describe("the kitchen's guard against cooking twice", () => {
  beforeEach(() => database.reset());

  /** Two deliveries of one order's job: the first stalls, the second takes over and finishes first. */
  async function twoDeliveries(accounts: PgAccountRepository): Promise<{ late: boolean; order: Order }> {
    const placed = await accounts.place("dave", createOrder([{ sku: "pepperoni-pizza", quantity: 1 }]));
    const first = await accounts.start(placed.id, "stateless-1", new Date());
    const second = await accounts.start(placed.id, "stateless-2", new Date());
    expect(await accounts.finish(placed.id, second!.attempt, new Date())).toBe(true);
    const late = await accounts.finish(placed.id, first!.attempt, new Date());
    return { late, order: await accounts.order("dave", placed.id) };
  }

  it("records only the latest delivery's cooking: the stalled one's late finish changes nothing", async () => {
    const db = database.open();
    const { late, order } = await twoDeliveries(new PgAccountRepository(db, database.kitchenQueue(db)));
    expect(late).toBe(false);
    expect(order).toMatchObject({ status: "ready", preparedBy: "stateless-2", attempts: 2, cooked: 1 });
  });

  it("is what keeps it at one: without it, the same two deliveries cook the order twice", async () => {
    const { late, order } = await twoDeliveries(new UnguardedAccountRepository(database.open()));
    expect(late).toBe(true);
    expect(order).toMatchObject({ status: "ready", cooked: 2 });
  });

  it("writes a job with the order only when it has something to cook", async () => {
    const db = database.open();
    const accounts = new PgAccountRepository(db, database.kitchenQueue(db));
    const pizza = await accounts.place("dave", createOrder([{ sku: "pepperoni-pizza", quantity: 1 }]));
    const drink = await accounts.place("dave", createOrder([{ sku: "coke", quantity: 1 }]));
    const { rows } = await db.pool.query<{ order_id: string }>(
      "SELECT data->>'orderId' AS order_id FROM pgboss.job WHERE name = 'kitchen'",
    );
    expect(rows.map((row) => row.order_id)).toEqual([pizza.id]);
    expect(await accounts.order("dave", drink.id)).toMatchObject({ status: "ready", attempts: 0, cooked: 0 });
  });

  it("gives a delivery that comes after the order is ready nothing to do", async () => {
    const db = database.open();
    const accounts = new PgAccountRepository(db, database.kitchenQueue(db));
    const placed = await accounts.place("dave", createOrder([{ sku: "pepperoni-pizza", quantity: 1 }]));
    const { attempt } = (await accounts.start(placed.id, "stateless-1", new Date()))!;
    await accounts.finish(placed.id, attempt, new Date());
    expect(await accounts.start(placed.id, "stateless-2", new Date())).toBeUndefined();
    expect(await accounts.order("dave", placed.id)).toMatchObject({
      attempts: 1,
      cooked: 1,
      preparedBy: "stateless-1",
    });
  });
});

describe("a worker that stalls past its lease (a real server, SIGSTOP)", () => {
  const servers: NodeServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.process.stop())));

  const start = async (name: string) => {
    const env = {
      NODE_ENV: "production",
      JWT_SECRET: "k".repeat(64),
      REDIS_URL: process.env.REDIS_URL,
      DATABASE_URL: database.url,
      ...bucket.env,
      ...NO_LOGIN_LIMITS,
      INSTANCE_ID: name,
      LOG_LEVEL: "warn",
      // One pizza cooks for 1.5 s; its job's lease is 3 × that (5 s).
      KITCHEN_MS: "1500",
      KITCHEN_WORKERS: "1",
    };
    const server = await startNodeServer({ name, script: SCRIPT, env });
    servers.push(server);
    return server;
  };

  it("has its job delivered to another server, which cooks the order; its own late finish is refused", async () => {
    await database.reset();
    const one = await start("stateless-1");
    const call = async (server: NodeServer, path: string, init: RequestInit = {}, token?: string) => {
      const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const response = await fetch(`${server.url}${path}`, { ...init, headers });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const login = await call(one, "/auth/login", {
      method: "POST",
      body: JSON.stringify({ username: "dave", password: "diavola" }),
    });
    const token = (login.body as { token: string }).token;
    await call(
      one,
      "/cart/items",
      { method: "POST", body: JSON.stringify({ sku: "pepperoni-pizza", quantity: 1 }) },
      token,
    );
    const { body } = await call(one, "/checkout", { method: "POST" }, token);
    const id = (body as { order: Order }).order.id;
    // Undefined for an answer without the order (a 503 while the database is slow to answer a busy machine).
    const orderOn = async (server: NodeServer) =>
      ((await call(server, `/orders/${id}`, {}, token)).body as { order?: Order }).order;
    const until = async (server: NodeServer, done: (order: Order) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      for (let order = await orderOn(server); ; order = await orderOn(server)) {
        if (order && done(order)) return order;
        if (Date.now() > deadline) throw new Error(`not there within ${ms} ms: ${JSON.stringify(order)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    await until(one, (order) => order.status === "preparing", 5000);
    one.process.signal("SIGSTOP"); // mid-cook: its worker holds the job and says nothing
    const two = await start("stateless-2");
    // The lease runs out (5 s), the second server's upkeep gives the job back, its worker cooks.
    const cooked = await until(two, (order) => order.status === "ready", 15_000);
    expect(cooked).toMatchObject({ preparedBy: "stateless-2", attempts: 2, cooked: 1 });

    one.process.signal("SIGCONT"); // its cooking ends, and its finish meets the guard
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const deadline = Date.now() + 5000; !/taken over/.test(one.process.recentOutput) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(one.process.recentOutput).toContain(`kitchen: order ${id} was taken over by another delivery`);
    expect(await orderOn(two)).toEqual(cooked);
  });
});
