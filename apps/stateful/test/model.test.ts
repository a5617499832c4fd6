jest.setTimeout(300_000); // MODEL_RUNS=1000 takes minutes

import { describeChatModelContract, describeModelBasedContract } from "@cart/contract-suite";
import { statefulInstance } from "./instances";

// One instance: a stateful session lives on the instance that made it (sessions.test.ts shows the rest).
describeModelBasedContract({
  name: "stateful",
  issuesTokens: false,
  fresh: async () => [statefulInstance("stateful-1")],
});

// The chat on one instance: across instances it is the comparison's story (pnpm compare).
describeChatModelContract({ name: "stateful", fresh: async () => [statefulInstance("stateful-1")] });
