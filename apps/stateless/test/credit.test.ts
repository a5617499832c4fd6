// Store credit in PostgreSQL under pressure: parallel checkouts on many connections (as from many
// servers) never spend the same money twice, and a checkout that failed half-way and is tried
// again never pays twice or loses what was added to the cart in between.
import {
  checkout,
  createOrder,
  InsufficientCreditError,
  StoreUnavailableError,
  type CartRepository,
  type Order,
} from "@cart/domain";
import type { Database } from "@cart/pg-kit";
import { createRedisClient } from "@cart/redis-kit";
import { PgAccountRepository } from "../src/account-repository";
import { RedisCartRepository } from "../src/cart-repository";
import { testDatabase } from "./instances";
import { waitUntil } from "@cart/local-infra";

const scratch = testDatabase();
const SERVERS = 6;
jest.setTimeout(30_000); // a starting line that some checkout never reaches fails by this, not by hanging
const PIZZAS = { sku: "pepperoni-pizza", quantity: 4 }; // $59.96: one order fits in $100.00, two do not

/**
 * The moment every checkout of a race has reached: they all go on from there at once. Timing
 * alone (connections opened, a busy machine) lets one checkout finish before the next begins, and
 * then no race is run at all; with it, every run meets the worst interleaving.
 */
function startingLine(parties: number): () => Promise<void> {
  let arrived = 0;
  let go!: () => void;
  const gun = new Promise<void>((resolve) => (go = resolve));
  return () => {
    if (++arrived === parties) go();
    return gun;
  };
}

/**
 * The app's checkout sends its payment in one statement, with nothing of ours between its read of
 * the balance and its write: the race is run in the database. Carol's wallet is held (locked, as a
 * debit locks it) until every checkout waits for it, then let go: they all meet at her balance.
 */
async function heldUntilAllWait<T>(race: () => Promise<T>): Promise<T> {
  const holder = await scratch.open().pool.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT 1 FROM wallets WHERE user_id = 'carol' FOR UPDATE");
    const raced = race();
    const waiting = async () => {
      // Inside a transaction PostgreSQL's statistics views keep their first reading unless cleared.
      await holder.query("SELECT pg_stat_clear_snapshot()");
      const { rows } = await holder.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      return rows[0]!.n === SERVERS;
    };
    await waitUntil(waiting, 10_000, `the ${SERVERS} checkouts did not all wait for Carol's wallet`);
    await holder.query("COMMIT");
    return await raced;
  } finally {
    holder.release(true);
  }
}

/**
 * The payment as it is often first written: read the balance, check it here, write the new one
 * (then the order and its ledger line). Every checkout reads the balance before any writes it (the
 * starting line), so each sees $100.00 and believes its order fits.
 */
class UnguardedAccountRepository extends PgAccountRepository {
  constructor(
    private readonly db: Database,
    private readonly atTheLine: () => Promise<void>,
  ) {
    super(db, scratch.kitchenQueue(db));
  }

  override async place(userId: string, order: Order): Promise<Order> {
    return this.db.transaction(async (tx) => {
      const [wallet] = await tx.rows<{ balanceCents: number }>("SELECT balance_cents FROM wallets WHERE user_id = $1", [
        userId,
      ]);
      const balance = wallet!.balanceCents;
      if (balance < order.totalCents) throw new InsufficientCreditError(balance, order.totalCents);
      await this.atTheLine();
      await tx.rows("UPDATE wallets SET balance_cents = $2 WHERE user_id = $1", [userId, balance - order.totalCents]);
      await tx.rows("INSERT INTO orders (id, user_id, items, total_cents, created_at) VALUES ($1, $2, $3, $4, $5)", [
        order.id,
        userId,
        JSON.stringify(order.items),
        order.totalCents,
        order.createdAt,
      ]);
      await tx.rows(
        "INSERT INTO ledger (user_id, amount_cents, balance_cents, description, order_id) VALUES ($1, $2, $3, 'unguarded', $4)",
        [userId, -order.totalCents, balance - order.totalCents, order.id],
      );
      return order;
    });
  }
}

/** Every server places an order of Carol's worth more than half her credit, all at once. */
async function race(repositories: PgAccountRepository[]) {
  const attempts = await Promise.allSettled(
    repositories.map((accounts) => accounts.place("carol", createOrder([PIZZAS]))),
  );
  const placed = attempts.filter((attempt) => attempt.status === "fulfilled").length;
  const refused = attempts.filter(
    (attempt) => attempt.status === "rejected" && attempt.reason instanceof InsufficientCreditError,
  ).length;
  const wallet = await repositories[0]!.wallet("carol");
  return {
    placed,
    refused,
    spent: 10000 - wallet.balanceCents,
    ledgerSum: wallet.ledger.reduce((sum, line) => sum + line.amountCents, 0),
    balance: wallet.balanceCents,
  };
}

describe("parallel checkouts of Carol's $100.00 from six servers", () => {
  beforeEach(() => scratch.reset());

  it("spend at most her credit: one order placed, the others refused, and the ledger adds up to the balance", async () => {
    const servers = await Promise.all(
      Array.from({ length: SERVERS }, async () => {
        const opened = scratch.open();
        const kitchen = scratch.kitchenQueue(opened);
        await kitchen.queueing(createOrder([PIZZAS])); // its queue started, as a server's that has served a while
        return new PgAccountRepository(opened, kitchen);
      }),
    );
    expect(await heldUntilAllWait(() => race(servers))).toEqual({
      placed: 1,
      refused: SERVERS - 1,
      spent: 5996,
      ledgerSum: 4004,
      balance: 4004,
    });
  });

  it("without the guard (read, check, write), spend more than she has", async () => {
    const line = startingLine(SERVERS);
    const servers = Array.from({ length: SERVERS }, () => new UnguardedAccountRepository(scratch.open(), line));
    const outcome = await race(servers);
    // Every server read $100.00, so each believed the order fitted: money spent that was never there.
    expect(outcome.placed).toBe(SERVERS);
    expect(outcome.placed * 5996).toBeGreaterThan(10000);
    expect(outcome.ledgerSum).not.toBe(outcome.balance);
  });
});

describe("a checkout that fails between paying and settling the cart, tried again", () => {
  const redis = createRedisClient(process.env.REDIS_URL!);
  beforeAll(() => redis.connect());
  afterAll(() => redis.close());
  beforeEach(() => scratch.reset());

  /** The cart's store fails once, at the worst moment: the order is paid, the cart not yet settled. */
  function settleFailsOnce(carts: CartRepository): CartRepository {
    let failed = false;
    return Object.assign(Object.create(carts) as CartRepository, {
      async settle(cartId: string, order: Order) {
        if (!failed) {
          failed = true;
          throw new StoreUnavailableError();
        }
        return carts.settle(cartId, order);
      },
    });
  }

  it("pays once, places one order, and keeps what was added in between", async () => {
    const opened = scratch.open();
    const accounts = new PgAccountRepository(opened, scratch.kitchenQueue(opened));
    const carts = new RedisCartRepository(redis, 60);
    const cartId = `credit-test-${Date.now()}`;
    await carts.add(cartId, "pepperoni-pizza", 1);
    const flaky = settleFailsOnce(carts);
    await expect(checkout(flaky, accounts, { cartId, userId: "carol" })).rejects.toThrow(StoreUnavailableError);
    await carts.add(cartId, "coke", 1); // while the user wonders what happened
    const order = await checkout(flaky, accounts, { cartId, userId: "carol" });

    expect(order.items).toEqual([expect.objectContaining({ sku: "pepperoni-pizza", quantity: 1 })]);
    expect((await accounts.orders("carol")).map((placed) => placed.id)).toEqual([order.id]);
    // One kitchen job for it: the second try's job went with its transaction, rolled back.
    const jobs = await opened.pool.query("SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'orderId' = $1", [
      order.id,
    ]);
    expect(jobs.rows).toEqual([{ n: 1 }]);
    expect((await accounts.wallet("carol")).balanceCents).toBe(10000 - 1499);
    expect(await carts.lines(cartId)).toEqual([{ sku: "coke", quantity: 1 }]);
    // The coke is a new order, and a new payment.
    const next = await checkout(carts, accounts, { cartId, userId: "carol" });
    expect(next.id).not.toBe(order.id);
    expect((await accounts.wallet("carol")).balanceCents).toBe(10000 - 1499 - 299);
  });
});
