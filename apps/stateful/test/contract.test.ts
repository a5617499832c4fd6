import { describeChatContract, describeContract } from "@cart/contract-suite";
import { statefulInstance } from "./instances";

const harness = { name: "stateful", issuesTokens: false, instance: statefulInstance } as const;
describeContract(harness);
describeChatContract(harness);
