import { sleep } from "../util";
import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

const OUTAGE_MS = 3000;
const FAST_ENOUGH_MS = 1500;

export const storeOutage: Journey = {
  name: "store-outage",
  story:
    "Redis freezes (SIGSTOP) for 3 s while Alice browses: answers must be fast (200 or 503), servers must live, " +
    "her cart must survive",
  expected: { stateful: "pass", stateless: "pass" },
  needsLocalClusters: true,
  needsPrivateRedis: true,
  async run(context) {
    const alice = context.shopper("Alice");
    await alice.login();
    await alice.add("pepperoni-pizza");
    await context.observeCart(alice, "before");

    await context.freezeStore();
    try {
      const until = Date.now() + OUTAGE_MS;
      while (Date.now() < until) {
        const reply = await alice.send("GET", "/cart");
        if (reply.status !== 200 && reply.status !== 503) {
          throw new JourneyFailure(
            `GET /cart on ${reply.instance} → ${reply.status} during the outage (expected 200 or 503)`,
          );
        }
        if (reply.ms > FAST_ENOUGH_MS) {
          throw new JourneyFailure(
            `GET /cart on ${reply.instance} took ${reply.ms} ms during the outage (limit ${FAST_ENOUGH_MS} ms)`,
          );
        }
        await sleep(100);
      }
    } finally {
      context.resumeStore();
    }

    const crashed = context.instanceIds().filter((id) => !context.instanceRunning(id));
    if (crashed.length > 0) throw new JourneyFailure(`${crashed.join(", ")} crashed during the outage`);
    // Give the app up to 2 s to reconnect; then the cart must be what it was.
    for (let attempt = 0; attempt < 20 && (await alice.send("GET", "/cart")).status === 503; attempt++)
      await sleep(100);
    await context.observeCart(alice, "after");
    await alice.expectCart({ "pepperoni-pizza": 1 });
  },
};
