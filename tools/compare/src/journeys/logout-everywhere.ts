import type { Journey } from "../journey";
import { JourneyFailure } from "../steps";

export const logoutEverywhere: Journey = {
  name: "logout-everywhere",
  story: "Alice logs out; her old cookie or token is then tried on every server directly",
  expected: { stateful: "pass", stateless: "pass" },
  async run(context) {
    const alice = context.shopper("Alice");
    await alice.login();
    await alice.add("pepperoni-pizza");
    const stolen = await alice.credentials();
    await alice.expect(204, "POST", "/auth/logout");
    for (const id of context.instanceIds()) {
      const response = await fetch(`${context.instanceUrl(id)}/me`, { headers: stolen });
      await response.body?.cancel();
      if (response.status !== 401) {
        throw new JourneyFailure(
          `GET /me on ${id} with Alice's old credentials → ${response.status}: logout did not reach ${id}`,
        );
      }
    }
  },
};
