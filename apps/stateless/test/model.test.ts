// On a Redis of its own, emptied before each sequence: the model starts from nothing, and
// orders of alice left by other test files would be surprises to it.
import { describeChatModelContract, describeModelBasedContract } from "@cart/contract-suite";
import type { Express } from "express";
import { statelessInstancesOnOwnRedis } from "./instances";

jest.setTimeout(300_000); // MODEL_RUNS=1000 takes minutes

const { start, empty } = statelessInstancesOnOwnRedis();
let instances: Express[] | undefined;

// Every sequence is spread over two instances sharing the one Redis.
describeModelBasedContract({
  name: "stateless",
  issuesTokens: true,
  fresh: async () => {
    instances ??= [await start("stateless-1"), await start("stateless-2")];
    await empty();
    return instances;
  },
});

// The chat, the same way: alice, bob and carol spread over the two instances.
describeChatModelContract({
  name: "stateless",
  fresh: async () => {
    instances ??= [await start("stateless-1"), await start("stateless-2")];
    await empty();
    return instances;
  },
});
