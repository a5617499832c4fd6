import type { Journey } from "./journey";
import { shopClassicOrder } from "./shop";

export const happyPath: Journey = {
  name: "happy-path",
  story: "Alice logs in, adds a pizza, mushrooms and a Coke, views the cart, checks out, lists her orders",
  expected: { stateful: "pass", stateless: "pass" },
  run: (context) => shopClassicOrder(context.shopper("Alice")),
};
