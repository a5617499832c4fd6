import type { Journey } from "../journey";
import { checkOutClassicOrder } from "./shop";

export const serverCrash: Journey = {
  name: "server-crash",
  story: "mid-journey, kill -9 the server that served Alice's last request; she carries on",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const alice = context.shopper("Alice");
    await alice.login();
    await alice.add("pepperoni-pizza");
    await alice.add("mushrooms");
    await context.observeCart(alice, "before");
    await context.kill(alice.lastInstance);
    await context.observeCart(alice, "after");
    await alice.add("coke");
    await checkOutClassicOrder(alice);
  },
};
