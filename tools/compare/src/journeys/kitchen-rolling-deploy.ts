import { alongside, sleep } from "../util";
import {
  expectEveryOrderCookedOnce,
  kitchenFigures,
  kitchenJourney,
  noteKitchen,
  placeOrderAgain,
  settled,
  watchOrders,
} from "./kitchen";
import { JourneyFailure } from "./steps";

/** After the deploy, the orders still cooking or waiting get this long. */
const READY_WITHIN_MS = 15_000;

export const kitchenRollingDeploy = kitchenJourney(
  "kitchen-rolling-deploy",
  "Dave keeps ordering while every server is restarted in turn (drained, SIGTERM, started again): is any " +
    "order lost, or cooked twice?",
  async (context, dave) => {
    let deploying = true;
    const deploy = alongside(
      (async () => {
        for (const id of context.instanceIds()) await context.restart(id);
      })().finally(() => (deploying = false)),
    );
    const ids: string[] = [];
    try {
      while (deploying) {
        ids.push((await placeOrderAgain(dave)).id);
        await sleep(100);
      }
    } finally {
      await deploy();
    }
    if (ids.length === 0) throw new JourneyFailure("the deploy finished before Dave could order");

    const seen = await watchOrders(dave, settled(ids), READY_WITHIN_MS);
    noteKitchen(context, kitchenFigures(ids, seen), [`${ids.length} orders placed during the deploy`]);
    await expectEveryOrderCookedOnce(dave, ids, seen, {
      fault: "the rolling deploy",
      withinMs: READY_WITHIN_MS,
      heldBy: "the memory of a server that was restarted",
    });
  },
);
