import type { Journey } from "./journey";
import { shopClassicOrderAcross } from "./shop";

export const serverCrash: Journey = {
  name: "server-crash",
  story: "mid-journey, kill -9 the server that served Alice's last request; she carries on",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  run: (context) => shopClassicOrderAcross(context, (alice) => context.kill(alice.lastInstance)),
};
