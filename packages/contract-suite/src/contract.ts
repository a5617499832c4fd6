// The HTTP contract both apps promise, as one spec. Each app's tests run it against that app,
// so "the two apps are interchangeable over HTTP" is checked, not claimed.
import { describeAuthRoutes } from "./auth-contract";
import { describeAvatarRoutes } from "./avatar-contract";
import { describeCartRoutes } from "./cart-contract";
import { contractClient } from "./client";
import type { AppHarness } from "./harness";
import { describeKitchen } from "./kitchen-contract";
import { describeMalformedRequests } from "./malformed-contract";
import { describePublicRoutes } from "./public-contract";
import { describeSecurity } from "./security-contract";
import { describeServerTiming } from "./server-timing-contract";
import { describeWalletRoutes } from "./wallet-contract";

export function describeContract(harness: AppHarness): void {
  const client = contractClient(harness);
  describe(`the HTTP contract, served by the ${harness.name} app`, () => {
    describePublicRoutes(client);
    describeAuthRoutes(client);
    describeCartRoutes(client);
    describeWalletRoutes(client);
    describeKitchen(client);
    describeAvatarRoutes(client);
    describeSecurity(client);
    describeMalformedRequests(client);
    describeServerTiming(client);
  });
}
