import { describeChatContract, describeContract } from "@cart/contract-suite";
import { statelessInstances } from "./instances";

const { instance } = statelessInstances();
const harness = { name: "stateless", issuesTokens: true, instance } as const;

describeContract(harness);
describeChatContract(harness);
