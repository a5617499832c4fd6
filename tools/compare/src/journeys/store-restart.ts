import type { Journey } from "../journey";
import { checkOutClassicOrder } from "./shop";

export const storeRestart: Journey = {
  name: "store-restart",
  story:
    "Redis restarts (SIGTERM, start again on the same port and data) while Alice shops: with its append-only file on, her session and cart survive",
  expected: { stateful: "pass", stateless: "pass" },
  needsLocalClusters: true,
  // The stateless tier moved its state into Redis: a Redis that keeps nothing loses every session.
  expectedWithoutStorePersistence: { stateless: "fail" },
  needsPrivateRedis: true,
  async run(context) {
    const alice = context.shopper("Alice");
    await alice.login();
    await alice.add("pepperoni-pizza");
    await alice.add("mushrooms");
    await context.observeCart(alice, "before");

    await context.restartStore();

    await context.observeCart(alice, "after");
    await alice.add("coke");
    await checkOutClassicOrder(alice);
  },
};
