// The PostgreSQL kit against a real, private PostgreSQL: migrations run once however many
// instances start together, a failed one changes nothing, and an outage is STORE_UNAVAILABLE
// within the deadline, healed by itself when the database is back.
import { StoreUnavailableError, withStoreTimings } from "@cart/domain";
import { DelayProxy, LocalPostgresServer, waitUntil } from "@cart/local-infra";
import type { Pool } from "pg";
import {
  createPgPool,
  databaseOf,
  dbCall,
  inOneTrip,
  inTransaction,
  isPgReady,
  migrate,
  prepareSchemas,
  type Migration,
} from "../src";

jest.setTimeout(60_000);

let server: LocalPostgresServer;
const pools: Pool[] = [];
const pool = () => {
  const created = createPgPool(server.url());
  pools.push(created);
  return created;
};

beforeAll(async () => {
  server = await LocalPostgresServer.start();
});
afterAll(async () => {
  // Every pool closed before the server stops (a pool that fails to end must not keep it running).
  await Promise.allSettled(pools.map((created) => created.end()));
  await server?.stop();
});

const MIGRATIONS: Migration[] = [
  { version: 1, name: "wallets", sql: "CREATE TABLE wallets (user_id text PRIMARY KEY, cents integer NOT NULL)" },
  // Not idempotent on purpose: applied twice, the second insert would break the primary key.
  { version: 2, name: "alice's credit", sql: "INSERT INTO wallets VALUES ('alice', 5000)" },
];

describe("migrate", () => {
  it("applies each migration once, in order, however many instances start at the same moment", async () => {
    const applied = await Promise.all([pool(), pool(), pool()].map((instance) => migrate(instance, MIGRATIONS)));
    expect(applied.flat().sort()).toEqual([1, 2]); // one instance applied both; the others nothing
    const { rows } = await pool().query("SELECT version, name FROM schema_migrations ORDER BY version");
    expect(rows).toEqual([
      { version: 1, name: "wallets" },
      { version: 2, name: "alice's credit" },
    ]);
    expect(await migrate(pool(), MIGRATIONS)).toEqual([]);
  });

  it("applies only what is new, and a migration that fails changes nothing", async () => {
    const broken: Migration = { version: 4, name: "broken", sql: "ALTER TABLE nowhere ADD COLUMN x integer" };
    const next: Migration = { version: 3, name: "bob's credit", sql: "INSERT INTO wallets VALUES ('bob', 5000)" };
    await expect(migrate(pool(), [...MIGRATIONS, next, broken])).rejects.toThrow(/nowhere/);
    const { rows } = await pool().query("SELECT count(*)::int AS n FROM wallets");
    expect(rows).toEqual([{ n: 1 }]); // bob's insert went with the failed transaction
    expect(await migrate(pool(), [...MIGRATIONS, next])).toEqual([3]);
  });

  it("prepares schemas: every schema's migrations in version order, whichever holds them, then each one's prepare", async () => {
    const instance = pool();
    await instance.query("CREATE SCHEMA stories");
    const prepared: string[] = [];
    const orders = {
      migrations: [
        { version: 11, name: "orders", sql: "CREATE TABLE stories.orders (id int)" },
        // Needs the chat's table, version 12, from the other schema: run in the order given, it would fail.
        { version: 13, name: "orders by chat", sql: "ALTER TABLE stories.chat ADD COLUMN order_id int" },
      ],
      prepare: async () => void prepared.push("orders"),
    };
    const chat = {
      migrations: [{ version: 12, name: "chat", sql: "CREATE TABLE stories.chat (id int)" }],
      prepare: async () => void prepared.push("chat"),
    };
    await prepareSchemas(instance, [orders, chat]);
    const { rows } = await instance.query("SELECT version FROM schema_migrations WHERE version > 10 ORDER BY version");
    expect(rows.map(({ version }) => version)).toEqual([11, 12, 13]);
    expect(prepared).toEqual(["orders", "chat"]);
  });

  it("refuses migrations out of order", async () => {
    await expect(migrate(pool(), [MIGRATIONS[1]!, MIGRATIONS[0]!])).rejects.toThrow(/increasing version order/);
  });
});

describe("a database's rows", () => {
  it("come back as domain values: camelCase, bigint as a number, a timestamp as ISO text, NULL left out", async () => {
    const database = databaseOf(pool(), Promise.resolve());
    const rows = await database.rows(
      `SELECT 4200::bigint AS total_cents, '2026-12-06T14:06:36.123Z'::timestamptz AS created_at,
              NULL::text AS prepared_by, '{"sku":"coke"}'::json AS items, 3 AS attempts`,
    );
    expect(rows).toEqual([
      { totalCents: 4200, createdAt: "2026-12-06T14:06:36.123Z", items: { sku: "coke" }, attempts: 3 },
    ]);
    await expect(database.rows("SELECT 9007199254740993::bigint AS too_big")).rejects.toThrow(
      "too_big: 9007199254740993 does not fit a JavaScript number",
    );
  });

  it("wait for the database to be prepared, within the stores' deadline", async () => {
    const unprepared = databaseOf(pool(), new Promise<void>(() => undefined));
    const started = Date.now();
    await expect(unprepared.rows("SELECT 1")).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(unprepared.transaction(async (tx) => tx.rows("SELECT 1"))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await unprepared.isReady()).toBe(false);
    const prepared = databaseOf(pool(), Promise.resolve());
    await prepared.prepared;
    expect(await prepared.isReady()).toBe(true);
  });
});

describe("a transaction in one trip", () => {
  const ROUND_TRIP_MS = 100;

  /** `work`'s round trips to PostgreSQL one after another, as Server-Timing counts them, and its wall time. */
  async function timed(work: () => Promise<unknown>) {
    return withStoreTimings(async (_uses, inSequence) => {
      const started = performance.now();
      await work();
      return { roundTrips: inSequence(), ms: performance.now() - started };
    });
  }

  it("sends BEGIN, its statements and COMMIT together: one round trip at a distance, counted as one", async () => {
    const proxy = await DelayProxy.start({
      target: { host: "127.0.0.1", port: server.port },
      roundTripMs: ROUND_TRIP_MS,
    });
    try {
      const far = createPgPool(`postgres://postgres@127.0.0.1:${proxy.port}/postgres`);
      pools.push(far);
      await far.query("CREATE TABLE IF NOT EXISTS trips (n int)"); // a connection made, kept in the pool
      const statements = [1, 2, 3].map((n) => ({ text: "INSERT INTO trips VALUES ($1)", values: [n] }));
      const together = await timed(() => inOneTrip(far, statements));
      const oneByOne = await timed(() =>
        inTransaction(far, async (client) => {
          for (const { text, values } of statements) await client.query(text, values);
        }),
      );
      expect(oneByOne.roundTrips).toBe(5);
      expect(oneByOne.ms).toBeGreaterThanOrEqual(5 * ROUND_TRIP_MS * 0.9);
      expect(together.roundTrips).toBe(1);
      expect(together.ms).toBeLessThan(1.7 * ROUND_TRIP_MS); // a busy machine's waits, but not a second trip
      expect((await far.query("SELECT count(*)::int AS n FROM trips")).rows).toEqual([{ n: 6 }]);
    } finally {
      await proxy.close();
    }
  });

  it("is all or nothing: the statement that fails is the one rejected with, and nothing before it stays", async () => {
    const instance = pool();
    await instance.query("CREATE TABLE IF NOT EXISTS credit (user_id text PRIMARY KEY, cents int CHECK (cents >= 0))");
    await instance.query("INSERT INTO credit VALUES ('dave', 100) ON CONFLICT DO NOTHING");
    const spend = (cents: number) => ({
      text: "UPDATE credit SET cents = cents - $1 WHERE user_id = 'dave'",
      values: [cents],
    });
    const backend = { text: "SELECT pg_backend_pid() AS pid" };
    const before = (await inOneTrip(instance, [backend]))[0]!.rows[0] as { pid: number };
    const failed = inOneTrip(instance, [spend(60), spend(60), spend(1)]);
    await expect(failed).rejects.toMatchObject({ constraint: "credit_cents_check" });
    expect((await instance.query("SELECT cents FROM credit")).rows).toEqual([{ cents: 100 }]);
    const answers = await inOneTrip(instance, [spend(60), { text: "SELECT cents FROM credit" }, backend]);
    expect(answers.map((answer) => answer.rows)).toEqual([[], [{ cents: 40 }], [before]]);
    // The same connection served all three: after the failure it went back to the pool fit to use.
    expect(instance.totalCount).toBe(1);
  });

  it("sends ROLLBACK, not COMMIT, when pg could not send one of its statements: none stays", async () => {
    const instance = pool();
    await instance.query("CREATE TABLE IF NOT EXISTS notes (text text)");
    // One name for two texts: pg refuses the second before sending it, and the first must not commit alone.
    const note = { name: "note", text: "INSERT INTO notes VALUES ('kept?')" };
    const failed = inOneTrip(instance, [note, { name: "note", text: "INSERT INTO notes VALUES ('other')" }]);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError); // a bug of ours, or pg's: not the database's answer
    expect((await instance.query("SELECT count(*)::int AS n FROM notes")).rows).toEqual([{ n: 0 }]);
  });
});

describe("an outage", () => {
  it("is STORE_UNAVAILABLE within a second when nothing listens, and a refused statement is not one", async () => {
    const nowhere = createPgPool("postgres://postgres@127.0.0.1:1/postgres");
    pools.push(nowhere);
    const started = Date.now();
    await expect(dbCall(() => nowhere.query("SELECT 1"))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await isPgReady(nowhere)).toBe(false);
    // A constraint the database enforces is an answer, not an outage.
    const failed = dbCall(() => pool().query("INSERT INTO wallets VALUES ('alice', 1)"));
    await expect(failed).rejects.toMatchObject({ code: "23505" });
    await expect(failed).rejects.not.toBeInstanceOf(StoreUnavailableError);
  });

  it("is STORE_UNAVAILABLE within the deadline when the database hangs, does not commit later, and heals", async () => {
    const instance = pool();
    expect(await isPgReady(instance)).toBe(true);
    server.freeze();
    try {
      const started = Date.now();
      const debit = inTransaction(instance, (client) =>
        client.query("UPDATE wallets SET cents = cents - 100 WHERE user_id = 'alice'"),
      );
      await expect(debit).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(1500);
      // Cut at once, while the database still hangs: it holds none of the pool's connections.
      await waitUntil(async () => instance.totalCount === 0, 500, "the connection that timed out is still in the pool");
    } finally {
      server.resume();
    }
    // The connection that timed out was cut: the debit the caller was told failed never happens.
    await expect(isPgReady(instance)).resolves.toBe(true);
    const { rows } = await instance.query("SELECT cents FROM wallets WHERE user_id = 'alice'");
    expect(rows).toEqual([{ cents: 5000 }]);
  });
});

describe("a crash of the database", () => {
  it("under a transaction fails the transaction, not the process, and the pool heals", async () => {
    const instance = pool();
    let crashed!: Promise<void>;
    const debit = inTransaction(instance, async (client) => {
      await client.query("UPDATE wallets SET cents = cents - 100 WHERE user_id = 'alice'");
      // The connection is checked out, between two statements, when the database goes.
      crashed = server.crash();
      await crashed;
      await client.query("SELECT 1");
    });
    try {
      await expect(debit).rejects.toBeInstanceOf(StoreUnavailableError);
      // pg's error event on the dead connection had a listener: nothing was thrown out of the process.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await crashed;
      await server.startAgain();
    }
    await expect(isPgReady(instance)).resolves.toBe(true);
    const { rows } = await instance.query("SELECT cents FROM wallets WHERE user_id = 'alice'");
    expect(rows).toEqual([{ cents: 5000 }]);
  });
});
