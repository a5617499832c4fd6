import { STORE_DEADLINE_MS } from "@cart/domain";
import { sleep } from "../util";
import type { Journey } from "./journey";
import { budget } from "./pace";
import { JourneyFailure } from "./steps";

const OUTAGE_MS = 3000;
/** Beyond the stores' deadline, for the rest of the answer's way. */
const SLACK_MS = 500;

export const storeOutage: Journey = {
  name: "store-outage",
  story:
    "Redis freezes (SIGSTOP) for 3 s while Alice browses: answers must be fast (200, or 503 within the stores' " +
    "1 s deadline and half a second, or four times her last answer before on a slower machine), servers must " +
    "live, her cart must survive",
  expected: { stateful: "pass", stateless: "pass" },
  needsLocalClusters: true,
  needsPrivateRedis: true,
  async run(context) {
    const alice = context.shopper("Alice");
    await alice.login();
    await alice.add("pepperoni-pizza");
    await context.observeCart(alice, "before");
    const fastEnough = STORE_DEADLINE_MS + budget(SLACK_MS, (await alice.send("GET", "/cart")).ms);

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
        if (reply.ms > fastEnough) {
          throw new JourneyFailure(
            `GET /cart on ${reply.instance} took ${reply.ms} ms during the outage (limit ${fastEnough} ms)`,
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
