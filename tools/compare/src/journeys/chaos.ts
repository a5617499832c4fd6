// Chaos under load: users shop without pause while instances crash (kill -9) and come back, and
// at the end every item a user was told was added must be in their cart or in one of their orders.
import { DEMO_PASSWORDS, nthBigSpender, type DemoUser } from "../rig/demo-logins";
import { alongside, seededRandom, sleep } from "../util";
import type { Journey, JourneyContext } from "./journey";
import { crowd } from "./shop";
import type { Shopper } from "./shopper";
import { JourneyFailure } from "./steps";

const USERS = 20;
const SKUS = ["pepperoni-pizza", "margherita-pizza", "mushrooms", "coke"];
const CHECKOUT_EVERY = 8;
const THINK_MS = 25;
/** Kills come every few seconds, at least three of them in a short run. */
const killInterval = (seconds: number) => Math.min(3000, (seconds * 1000) / 4);

interface Tally {
  requests: number;
  /** Unexpected answers, by status and code: "502 BAD_GATEWAY", "401 UNKNOWN_SESSION". */
  failures: Record<string, number>;
  /** Adds the users were told succeeded (200), per demo user. */
  added: Record<DemoUser, number>;
}

export const chaos: Journey = {
  name: "chaos",
  story:
    `${USERS} users shop without pause while a random server is killed (kill -9) and started again every few ` +
    `seconds: are the items they were told were added still theirs at the end?`,
  expected: { stateful: "fail", stateless: "pass" },
  optIn: true,
  needsLocalClusters: true,
  async run(context) {
    const started = Date.now();
    const tally: Tally = { requests: 0, failures: {}, added: noneEach() };
    // Users whose credit lasts: they check out every few steps, without pause.
    const shoppers = crowd(context, USERS, nthBigSpender);
    // One after another: the login limiter counts attempts in flight (it refuses a burst of more
    // than 5 for one username), and several browsers share each demo user.
    for (const shopper of shoppers) await shopper.login();

    const chaosStarted = Date.now();
    const deadline = chaosStarted + context.chaosSeconds * 1000;
    const kills = alongside(crashServers(context, chaosStarted));
    await Promise.all(shoppers.map((shopper) => shop(shopper, tally, deadline)));
    const killed = await kills();

    const held = await itemsHeld(shoppers, started);
    const lost = (Object.keys(held) as DemoUser[]).reduce(
      (sum, user) => sum + Math.max(0, tally.added[user] - held[user]),
      0,
    );
    const failed = Object.values(tally.failures).reduce((sum, n) => sum + n, 0);
    context.note("killed", killed);
    context.note("requests", tally.requests);
    context.note("failedRequests", failed);
    context.note("failures", tally.failures);
    const added = sum(tally.added);
    context.note("itemsAdded", added);
    context.note("itemsHeld", sum(held));
    context.note("itemsLost", lost);
    if (lost > 0) {
      throw new JourneyFailure(
        `${lost} of ${added} items the users were told were added are gone ` +
          `(${killed.length} crashes, ${failed} of ${tally.requests} requests failed)`,
      );
    }
  },
};

/** Every few seconds, kill -9 a random server and start it again; resolves with the victims. */
async function crashServers(context: JourneyContext, started: number): Promise<string[]> {
  const random = seededRandom(11);
  const interval = killInterval(context.chaosSeconds);
  const killed: string[] = [];
  // On a fixed schedule, so a short run under load still has its crashes.
  for (let at = interval; at < context.chaosSeconds * 1000; at += interval) {
    await sleep(started + at - Date.now());
    const ids = context.instanceIds();
    const victim = ids[Math.floor(random() * ids.length)]!;
    await context.kill(victim);
    await context.revive(victim);
    killed.push(victim);
  }
  return killed;
}

/** Adds one item after another, checks out now and then, logs in again when the session is gone. */
async function shop(shopper: Shopper, tally: Tally, deadline: number): Promise<void> {
  for (let step = 1; Date.now() < deadline; step++) {
    const checkout = step % CHECKOUT_EVERY === 0;
    const reply = checkout
      ? await shopper.send("POST", "/checkout")
      : await shopper.send("POST", "/cart/items", { sku: SKUS[step % SKUS.length], quantity: 1 });
    tally.requests++;
    if (reply.status === 200 && !checkout) tally.added[shopper.user]++;
    const fine = reply.status === (checkout ? 201 : 200) || reply.body?.error?.code === "EMPTY_CART";
    if (!fine) {
      const what = `${reply.status} ${reply.body?.error?.code ?? ""}`.trim();
      tally.failures[what] = (tally.failures[what] ?? 0) + 1;
    }
    if (reply.status === 401) await shopper.login().catch(() => undefined);
    await sleep(THINK_MS);
  }
}

/**
 * What the users hold at the end, per demo user: what is in each browser's cart, and the items of
 * the orders placed during the journey (every browser's view of the order list, each order once).
 */
async function itemsHeld(shoppers: Shopper[], since: number): Promise<Record<DemoUser, number>> {
  const held = noneEach();
  const orders = new Map<string, { user: DemoUser; items: number }>();
  for (const shopper of shoppers) {
    let cart = await shopper.send("GET", "/cart");
    if (cart.status === 401) {
      await shopper.login(); // the cart is gone with the session; the orders belong to the user
      cart = await shopper.send("GET", "/cart");
    }
    if (cart.status !== 200) throw new JourneyFailure(`GET /cart → ${cart.status} after the chaos`);
    held[shopper.user] += count(cart.body.items);
    const listed = await shopper.expect(200, "GET", "/orders");
    for (const order of listed.body.orders as { id: string; items: { quantity: number }[]; createdAt: string }[]) {
      if (Date.parse(order.createdAt) >= since - 1000)
        orders.set(order.id, { user: shopper.user, items: count(order.items) });
    }
  }
  for (const { user, items } of orders.values()) held[user] += items;
  return held;
}

const noneEach = () =>
  Object.fromEntries(Object.keys(DEMO_PASSWORDS).map((user) => [user, 0])) as Record<DemoUser, number>;

const count = (items: { quantity: number }[]) => items.reduce((total, item) => total + item.quantity, 0);

const sum = (perUser: Record<DemoUser, number>) => Object.values(perUser).reduce((total, n) => total + n, 0);
