import { alongside, sleep } from "../util";
import type { Journey } from "./journey";
import { crowd } from "./shop";
import { JourneyFailure } from "./steps";

const SHOPPERS = 10;

export const rollingDeploy: Journey = {
  name: "rolling-deploy",
  story: "10 users keep adding Cokes while every server is restarted in turn (drained, SIGTERM, started again)",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const shoppers = crowd(context, SHOPPERS);
    for (const shopper of shoppers) await shopper.login();
    await context.observeCart(shoppers[0]!, "before");

    let deploying = true;
    const deploy = alongside(
      (async () => {
        for (const id of context.instanceIds()) await context.restart(id);
      })().finally(() => (deploying = false)),
    );

    const added = new Map(shoppers.map((shopper) => [shopper, 0]));
    try {
      while (deploying) {
        await Promise.all(
          shoppers.map(async (shopper) => {
            await shopper.add("coke");
            added.set(shopper, added.get(shopper)! + 1);
          }),
        );
        await sleep(20);
      }
    } finally {
      await deploy();
    }
    await context.observeCart(shoppers[0]!, "after");
    for (const shopper of shoppers) await shopper.expectCart({ coke: added.get(shopper)! });
    if (added.get(shoppers[0]!) === 0) throw new JourneyFailure("the deploy finished before anyone could shop");
  },
};
