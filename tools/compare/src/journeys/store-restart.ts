import type { Journey } from "./journey";
import { shopClassicOrderAcross } from "./shop";

export const storeRestart: Journey = {
  name: "store-restart",
  story:
    "Redis restarts (SIGTERM, start again on the same port and data) while Alice shops: with its append-only file " +
    "on, her session and cart survive",
  expected: { stateful: "pass", stateless: "pass" },
  needsLocalClusters: true,
  // The stateless tier keeps its sessions and carts in Redis: a Redis that keeps nothing loses them all.
  expectedWithoutStorePersistence: { stateless: "fail" },
  needsPrivateRedis: true,
  run: (context) => shopClassicOrderAcross(context, () => context.restartStore()),
};
