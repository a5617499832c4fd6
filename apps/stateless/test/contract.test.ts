import { describeContract } from "@cart/contract-suite";
import { statelessInstances } from "./instances";

const { instance } = statelessInstances();

describeContract({ name: "stateless", issuesTokens: true, instance });
