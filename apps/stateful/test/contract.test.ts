import { describeContract } from "@cart/contract-suite";
import { statefulInstance } from "./instances";

describeContract({ name: "stateful", issuesTokens: false, instance: statefulInstance });
