import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

export const logoutEverywhere: Journey = {
  name: "logout-everywhere",
  story: "Alice logs out; her old cookie or token is then tried on every server",
  expected: { stateful: "pass", stateless: "pass" },
  async run(context) {
    const alice = context.shopper("Alice");
    await alice.login();
    await alice.add("pepperoni-pizza");
    const stolen = await alice.credentials();
    await alice.expect(204, "POST", "/auth/logout");
    const answers = await context.askEveryInstance("/me", stolen);
    for (const { instance, status } of answers) {
      if (status !== 401) {
        throw new JourneyFailure(
          `GET /me on ${instance} with Alice's old credentials → ${status}: logout did not reach ${instance}`,
        );
      }
    }
    context.note("refusedBy", answers.map(({ instance }) => instance).sort());
  },
};
