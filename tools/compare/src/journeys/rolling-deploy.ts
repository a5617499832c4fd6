import { CATALOG } from "@cart/domain";
import { alongside, sleep } from "../util";
import type { Journey } from "./journey";
import { crowd } from "./shop";
import { JourneyFailure } from "./steps";

const SHOPPERS = 10;
// Each round adds the next product in turn: a deploy that outlasts 99 rounds (a slow machine, a
// fast app) must not run into the cart's 99-per-line limit.
const SKUS = CATALOG.map((product) => product.sku);

export const rollingDeploy: Journey = {
  name: "rolling-deploy",
  story:
    "10 users keep adding pizzas and Cokes while every server is restarted in turn (drained, SIGTERM, started again)",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const shoppers = crowd(context, SHOPPERS);
    await Promise.all(shoppers.map((shopper) => shopper.login()));
    await context.observeCart(shoppers[0]!, "before");

    let deploying = true;
    const deploy = alongside(
      (async () => {
        for (const id of context.instanceIds()) await context.restart(id);
      })().finally(() => (deploying = false)),
    );

    const added = new Map(shoppers.map((shopper) => [shopper, {} as Record<string, number>]));
    let rounds = 0;
    try {
      for (; deploying; rounds++) {
        const sku = SKUS[rounds % SKUS.length]!;
        await Promise.all(
          shoppers.map(async (shopper) => {
            await shopper.add(sku);
            const cart = added.get(shopper)!;
            cart[sku] = (cart[sku] ?? 0) + 1;
          }),
        );
        await sleep(20);
      }
    } finally {
      await deploy();
    }
    await context.observeCart(shoppers[0]!, "after");
    for (const shopper of shoppers) await shopper.expectCart(added.get(shopper)!);
    if (rounds === 0) throw new JourneyFailure("the deploy finished before anyone could shop");
  },
};
