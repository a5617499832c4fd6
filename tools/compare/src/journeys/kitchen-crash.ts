import {
  expectEveryOrderCookedOnce,
  kitchenFigures,
  kitchenJourney,
  noteKitchen,
  placeOrder,
  settled,
  watchOrders,
  type KitchenOrder,
} from "./kitchen";
import { JourneyFailure } from "./steps";

const ORDERS = 10;
/** Two pizzas: a second of cooking, so that the server killed has the order in hand when it dies. */
const PIZZAS = 2;
/** Long enough for a job's lease (3 × its cooking, 3 s) to run out, the upkeep to notice and another worker to cook. */
const READY_WITHIN_MS = 15_000;

export const kitchenCrash = kitchenJourney(
  "kitchen-crash",
  "Dave places 10 orders of two pizzas, then kill -9 of the server whose kitchen worker is cooking one: is " +
    "every order still cooked, and only once?",
  async (context, dave) => {
    const ids: string[] = [];
    for (let n = 0; n < ORDERS; n++) ids.push((await placeOrder(dave, PIZZAS)).id);

    // The victim: a server with one of the orders in its worker's hands, mid-cook; one that started
    // it since the last look (at most a poll ago), so that the kill lands before the cooking ends:
    // an order about to be ready when it lands would be delivered once, and show no redelivery.
    // Told by what the customer sees, not by the servers' clocks. Any order in hands will do once
    // none is left to start.
    const withStatus = (seen: Map<string, KitchenOrder>, status: KitchenOrder["status"], among = ids) =>
      among.map((id) => seen.get(id)).filter((order) => order?.status === status) as KitchenOrder[];
    let placedBefore: string[] = [];
    const justStarted = (seen: Map<string, KitchenOrder>) => withStatus(seen, "preparing", placedBefore)[0];
    const before = await watchOrders(
      dave,
      (seen) => {
        if (justStarted(seen) || withStatus(seen, "placed").length === 0) return true;
        placedBefore = withStatus(seen, "placed").map((order) => order.id);
        return false;
      },
      5000,
    );
    const victim = (justStarted(before) ?? withStatus(before, "preparing")[0])?.preparedBy;
    if (!victim) throw new JourneyFailure(`no server's kitchen started on any of Dave's ${ORDERS} orders within 5 s`);
    const waiting = ids.filter((id) => before.get(id)?.status !== "ready").length;
    await context.kill(victim);

    const after = await watchOrders(dave, settled(ids), READY_WITHIN_MS);
    noteKitchen(context, kitchenFigures(ids, after), [
      `killed ${victim} with ${waiting} of the ${ORDERS} orders not yet ready`,
    ]);
    await expectEveryOrderCookedOnce(dave, ids, after, {
      fault: `kill -9 of ${victim}`,
      withinMs: READY_WITHIN_MS,
      heldBy: `${victim}'s memory`,
    });
  },
);
