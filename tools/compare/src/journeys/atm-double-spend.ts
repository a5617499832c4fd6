import { formatCents } from "@cart/domain";
import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";
import { browsersOnEveryServer, walletOf, type WalletView } from "./wallets";

const PIZZA = { sku: "pepperoni-pizza", cents: 1499 };

export const atmDoubleSpend: Journey = {
  name: "atm-double-spend",
  story:
    "Carol checks out at every server at the same moment, each cart worth more than half her credit: can she " +
    "spend more than she has?",
  expected: { stateful: "fail", stateless: "pass" },
  async run(context) {
    const browsers = await browsersOnEveryServer(context, "carol");
    const before = await Promise.all(browsers.map(walletOf));
    const credit = Math.max(...before.map((wallet) => wallet.balanceCents));
    // More than half of it, so that paying two of them needs money she does not have.
    const pizzas = Math.floor(credit / 2 / PIZZA.cents) + 1;
    if (pizzas * PIZZA.cents > Math.min(...before.map((wallet) => wallet.balanceCents))) {
      throw new JourneyFailure(
        `Carol has ${formatCents(credit)} left, too little for the race (a fresh database gives her $100.00)`,
      );
    }
    for (const browser of browsers) await browser.add(PIZZA.sku, pizzas);

    const replies = await Promise.all(browsers.map((browser) => browser.send("POST", "/checkout")));
    const paid = replies.filter((reply) => reply.status === 201);
    const refused = replies.filter((reply) => reply.body?.error?.code === "INSUFFICIENT_CREDIT");
    const other = replies.find((reply) => reply.status !== 201 && reply.body?.error?.code !== "INSUFFICIENT_CREDIT");
    if (other)
      throw new JourneyFailure(`POST /checkout on ${other.instance} → ${other.status}: neither paid nor refused`);
    const spent = paid.reduce((sum, reply) => sum + (reply.body.order.totalCents as number), 0);
    const after = await Promise.all(browsers.map(walletOf));

    context.note("creditBefore", formatCents(credit));
    context.note(
      "paidAt",
      paid.map((reply) => reply.instance),
    );
    context.note("refused", refused.length);
    context.note("spent", formatCents(spent));
    context.note(
      "balancesAfter",
      Object.fromEntries(after.map((wallet) => [wallet.server, formatCents(wallet.balanceCents)])),
    );
    if (spent > credit) {
      throw new JourneyFailure(
        `Carol spent ${formatCents(spent)} of her ${formatCents(credit)}: ${describeServers(paid)} each let her ` +
          `pay ${formatCents(pizzas * PIZZA.cents)}, every one of them sure of its own copy of her balance`,
      );
    }
    const dishonest = after.find((wallet) => !honest(wallet, credit - spent));
    if (dishonest) {
      throw new JourneyFailure(
        `${dishonest.server} says Carol has ${formatCents(dishonest.balanceCents)} (her ledger adds up to ` +
          `${formatCents(dishonest.ledgerSumCents)}) after spending ${formatCents(spent)} of ${formatCents(credit)}`,
      );
    }
  },
};

/** The balance it should be, never below zero, and the sum of the ledger's lines. */
const honest = (wallet: WalletView, expected: number) =>
  wallet.balanceCents === expected && wallet.balanceCents >= 0 && wallet.ledgerSumCents === wallet.balanceCents;

function describeServers(replies: { instance: string }[]): string {
  const servers = [...new Set(replies.map((reply) => reply.instance))];
  return servers.length === 1 ? servers[0]! : `${servers.slice(0, -1).join(", ")} and ${servers.at(-1)}`;
}
