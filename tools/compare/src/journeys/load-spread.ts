import { seededRandom } from "../util";
import type { Journey } from "./journey";
import { crowd } from "./shop";
import { JourneyFailure } from "./steps";

const SHOPPERS = 30;
const MAX_SHARE_RATIO = 1.5;
const SEED = 7;

// Real traffic is uneven: a few users do most of the requests (a Zipf-like spread).
function activity(): number[] {
  const counts = Array.from({ length: SHOPPERS }, (_, rank) => Math.ceil(40 / (rank + 1)));
  const random = seededRandom(SEED); // a fixed shuffle, so every run tells the same story
  for (let i = counts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [counts[i], counts[j]] = [counts[j]!, counts[i]!];
  }
  return counts;
}

export const loadSpread: Journey = {
  name: "load-spread",
  story: "30 users, a few of them very busy: how evenly do the servers share the requests?",
  expected: { stateful: "fail", stateless: "pass" },
  async run(context) {
    const counts = activity();
    const shoppers = crowd(context, counts.length);
    for (const shopper of shoppers) await shopper.login();
    await Promise.all(
      shoppers.map(async (shopper, i) => {
        for (let request = 0; request < counts[i]!; request++) await shopper.expect(200, "GET", "/cart");
      }),
    );
    const perInstance = context.requestsPerInstance();
    const shares = Object.values(perInstance);
    const ratio = Math.max(...shares) / Math.max(1, Math.min(...shares));
    context.note("requestsPerInstance", perInstance);
    context.note("maxMinRatio", Math.round(ratio * 100) / 100);
    if (shares.length < context.instanceIds().length || ratio > MAX_SHARE_RATIO) {
      const spread = Object.entries(perInstance)
        .map(([id, n]) => `${id} ${n}`)
        .join(", ");
      throw new JourneyFailure(
        `requests per server: ${spread}; max/min ${ratio.toFixed(2)} > ${MAX_SHARE_RATIO}: users stay on the ` +
          `server they logged in on, busy or not`,
      );
    }
  },
};
