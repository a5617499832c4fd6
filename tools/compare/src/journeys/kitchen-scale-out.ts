import { sleep } from "../util";
import { waitFor } from "./pair-times";
import {
  kitchenFigures,
  kitchenJourney,
  noteKitchen,
  ordersNow,
  placeOrder,
  settled,
  watchOrders,
  type KitchenOrder,
} from "./kitchen";
import { JourneyFailure } from "./steps";

/** The backlog to start with: 30 meals of three pizzas, 1.5 s of cooking each. */
const BACKLOG = 30;
const PIZZAS = 3;
/**
 * Until the new server takes an order, Dave keeps at least this many waiting: a server that takes
 * long to start (a loaded machine) still finds a backlog when it does.
 */
const KEEP_WAITING = 12;
/**
 * The most the new server is given to take one (all of it with no run beside, as for the lab); a
 * new server that cannot (the stateful app's) is given less when the other app's new server,
 * beside it, took one sooner: twice that and a second (pair-times.ts).
 */
const NEW_SERVER_WITHIN_MS = 10_000;
const TOOK_ONE = "the new server cooked an order another server took";
/** Then the backlog drains: the stateless app's four servers cook the lot in about 7 s. */
const READY_WITHIN_MS = 30_000;

export const kitchenScaleOut = kitchenJourney(
  "kitchen-scale-out",
  "Dave orders 30 meals of three pizzas at once, and keeps orders waiting; a server is added: does its " +
    "kitchen take part of the backlog?",
  async (context, dave) => {
    const started = Date.now();
    const ids: string[] = [];
    // Which server took each order: the new one must cook an order another server took. Cooking
    // only what was placed through itself (a queue in its own memory, behind a round-robin
    // balancer) is not taking part of the backlog.
    const takenBy = new Map<string, string>();
    const order = async () => {
      const { id } = await placeOrder(dave, PIZZAS);
      ids.push(id);
      takenBy.set(id, dave.lastInstance);
    };
    for (let n = 0; n < BACKLOG; n++) await order();

    const added = await context.addInstance();
    const joined = Date.now();
    const waitingIn = (seen: Map<string, KitchenOrder>) => ids.filter((id) => seen.get(id)?.status === "placed");
    const othersCookedByNew = (seen: Map<string, KitchenOrder>) =>
      ids.filter((id) => seen.get(id)?.preparedBy === added && takenBy.get(id) !== added);
    const takenByNew = (seen: Map<string, KitchenOrder>) => othersCookedByNew(seen).length > 0;
    let seen = await ordersNow(dave);
    const waitingAtJoin = waitingIn(seen).length;
    // The fewest orders seen waiting while the new server could have taken one (a replay paced for
    // a room places them more slowly than the kitchen cooks).
    let fewestWaiting = waitingAtJoin;
    // Looked up at every turn: the other app's new server may take one while this one waits.
    let windowMs = NEW_SERVER_WITHIN_MS;
    const givenUp = () => {
      windowMs = waitFor(context.pairTimes, TOOK_ONE, NEW_SERVER_WITHIN_MS);
      return Date.now() - joined >= windowMs;
    };
    while (!takenByNew(seen) && !givenUp()) {
      for (let n = waitingIn(seen).length; n < KEEP_WAITING; n++) await order();
      await sleep(200);
      seen = await ordersNow(dave);
      fewestWaiting = Math.min(fewestWaiting, waitingIn(seen).length);
    }
    const tookOne = takenByNew(seen);
    const waitedMs = Date.now() - joined;
    if (tookOne) {
      context.pairTimes.record(TOOK_ONE, waitedMs);
      seen = await watchOrders(dave, settled(ids), READY_WITHIN_MS);
    }
    const drainedMs = Date.now() - started;
    const figures = kitchenFigures(ids, seen);
    const byNewServer = figures.cookedBy[added] ?? 0;

    // What the servers that were there would have taken alone, at the pace they kept (a projection
    // from this run's own figures: they cooked all but the new server's share in the same time).
    const byOthers = figures.ready - byNewServer;
    const others = context.instanceIds().length - 1;
    const alone =
      byOthers > 0
        ? ` (the ${others} servers that were there, alone at their pace: ${((drainedMs * ids.length) / byOthers / 1000).toFixed(1)} s)`
        : "";
    noteKitchen(context, figures, [
      `${added} joined ${((joined - started) / 1000).toFixed(1)} s in, with ${waitingAtJoin} orders waiting, and cooked ` +
        (byNewServer ? `${byNewServer}, ${othersCookedByNew(seen).length} of them taken by another server` : "none"),
      figures.ready === ids.length
        ? `the backlog of ${ids.length} orders drained in ${(drainedMs / 1000).toFixed(1)} s${alone}`
        : `the backlog of ${ids.length} orders had not drained after ${(drainedMs / 1000).toFixed(1)} s`,
    ]);
    if (!tookOne) {
      const cooks = Object.keys(figures.cookedBy).join(", ") || "no server";
      const own = byNewServer > 0 ? ` (it cooked ${byNewServer} placed through itself)` : "";
      // Why it was given no longer, when it was given less than the most.
      const beside = context.pairTimes.took(TOOK_ONE);
      const why =
        beside !== undefined && windowMs < NEW_SERVER_WITHIN_MS
          ? ` (given at least twice the ${(beside / 1000).toFixed(1)} s the other app's new server needed beside it, and a second)`
          : "";
      throw new JourneyFailure(
        `${added} cooked none of the orders other servers had taken in the ${(waitedMs / 1000).toFixed(1)} s after it joined${why}${own}, with ` +
          `${fewestWaiting} or more waiting at every look: ${cooks} cooked ${figures.ready} meanwhile, and ` +
          `${figures.lost} still wait in the queue of the server that took them`,
      );
    }
    if (figures.lost > 0) throw new JourneyFailure(`${figures.lost} of Dave's ${ids.length} orders were never ready`);
    if (figures.cookedTwice > 0) throw new JourneyFailure(`${figures.cookedTwice} of Dave's orders were cooked twice`);
  },
);
