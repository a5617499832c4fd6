import type { Journey } from "./journey";
import { shopClassicOrder } from "./shop";

export const noStickiness: Journey = {
  name: "no-stickiness",
  story: "the same journey with both clusters behind round-robin: each request may reach another server",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  policy: { stateful: "round-robin", stateless: "round-robin" },
  run: (context) => shopClassicOrder(context.shopper("Alice")),
};
