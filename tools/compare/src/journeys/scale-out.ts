import type { Journey } from "./journey";
import { crowd } from "./shop";
import { JourneyFailure } from "./steps";

const SHOPPERS = 6;
const ROUNDS = 4;

export const scaleOut: Journey = {
  name: "scale-out",
  story: "add a server while 6 users shop: do the users already logged in ever reach it?",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const shoppers = crowd(context, SHOPPERS);
    await Promise.all(
      shoppers.map(async (shopper) => {
        await shopper.login();
        await shopper.add("pepperoni-pizza");
      }),
    );
    const before = context.requestsPerInstance();
    const added = await context.addInstance();
    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all(shoppers.map((shopper) => shopper.add("coke")));
    }
    for (const shopper of shoppers) await shopper.expectCart({ "pepperoni-pizza": 1, coke: ROUNDS });

    const after = context.requestsPerInstance();
    const total =
      Object.values(after).reduce((sum, n) => sum + n, 0) - Object.values(before).reduce((sum, n) => sum + n, 0);
    const reached = after[added] ?? 0;
    context.note("newInstance", { id: added, requestsServed: reached, requestsAfterScaleOut: total });
    if (reached === 0) {
      throw new JourneyFailure(
        `${added} served none of the ${total} requests the logged-in users made after it joined: each stays pinned ` +
          `to the server that holds their session`,
      );
    }
  },
};
