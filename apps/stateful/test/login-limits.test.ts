import { describeLoginLimits } from "@cart/contract-suite";
import { statefulInstance } from "./instances";

describeLoginLimits({
  name: "stateful",
  sharesCounters: false,
  start: async (instanceId, env) => statefulInstance(instanceId, env),
});
