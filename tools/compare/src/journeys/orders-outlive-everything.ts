import { formatCents } from "@cart/domain";
import type { Journey } from "./journey";
import { shopClassicOrder } from "./shop";
import { JourneyFailure } from "./steps";
import { walletOf } from "./wallets";

export const ordersOutliveEverything: Journey = {
  name: "orders-outlive-everything",
  story:
    "Alice pays for an order; then every server crashes (kill -9) and comes back, and Redis restarts with " +
    "nothing kept: are her order and the money she spent still on record?",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  needsPrivateRedis: true,
  async run(context) {
    const alice = context.shopper("Alice");
    await shopClassicOrder(alice);
    const orders = (await alice.expect(200, "GET", "/orders")).body.orders as { id: string }[];
    const before = await walletOf(alice);

    const servers = context.instanceIds();
    await Promise.all(servers.map((id) => context.kill(id)));
    await Promise.all(servers.map((id) => context.revive(id)));
    await context.restartStore({ empty: true });

    // Every session is gone with the servers' memory and Redis' data: Alice logs in again.
    const again = context.shopper("Alice, later");
    await again.login();
    const listed = await again.expect(200, "GET", "/orders");
    const after = await walletOf(again);
    const kept = new Set((listed.body.orders as { id: string }[]).map((order) => order.id));
    const lost = orders.filter((order) => !kept.has(order.id));
    context.note("orders", { before: orders.length, after: kept.size });
    context.note("balance", { before: formatCents(before.balanceCents), after: formatCents(after.balanceCents) });
    if (lost.length > 0) {
      throw new JourneyFailure(
        `GET /orders on ${listed.instance} lists ${kept.size} of Alice's ${orders.length} orders, and her balance ` +
          `is ${formatCents(after.balanceCents)} again, not ${formatCents(before.balanceCents)}: both died with the ` +
          `servers' memory`,
      );
    }
    if (after.balanceCents !== before.balanceCents || after.ledgerSumCents !== after.balanceCents) {
      throw new JourneyFailure(
        `${after.server} says Alice has ${formatCents(after.balanceCents)}, not the ` +
          `${formatCents(before.balanceCents)} she had before the restarts`,
      );
    }
  },
};
