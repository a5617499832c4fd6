// On a Redis of its own: the counters of the other test files (alice fails to log in there too)
// must not change what these tests count.
import { describeLoginLimits } from "@cart/contract-suite";
import { statelessInstancesOnOwnRedis } from "./instances";

const { start } = statelessInstancesOnOwnRedis();

describeLoginLimits({ name: "stateless", sharesCounters: true, start });
