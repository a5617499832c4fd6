import { formatCents } from "@cart/domain";
import type { Journey } from "./journey";
import { CLASSIC_TOTAL_CENTS } from "./shop";
import { JourneyFailure } from "./steps";
import { browsersOnEveryServer, walletOf } from "./wallets";

// Each browser asks this many times: round-robin sends the asks to different servers.
const ASKS_PER_BROWSER = 2;

export const atmDifferentAnswers: Journey = {
  name: "atm-different-answers",
  story:
    "Bob pays for his order at one server, then asks every server for his balance: like the ATMs of one " +
    "bank, do they agree?",
  expected: { stateful: "fail", stateless: "pass" },
  async run(context) {
    // Bob, whose credit no other journey of the run spends (Alice pays for the classic orders).
    const browsers = await browsersOnEveryServer(context, "bob");
    const bob = browsers[0]!;
    const before = await walletOf(bob);
    await bob.add("pepperoni-pizza");
    await bob.add("mushrooms");
    await bob.add("coke");
    const paidAt = (await bob.expect(201, "POST", "/checkout")).instance;
    const expected = before.balanceCents - CLASSIC_TOTAL_CENTS;

    // What each server says he has now (the last answer of each, if it gave several).
    const answers = new Map<string, number>();
    for (const browser of browsers) {
      for (let ask = 0; ask < ASKS_PER_BROWSER; ask++) {
        const seen = await walletOf(browser);
        answers.set(seen.server, seen.balanceCents);
      }
    }
    context.note("paidAt", paidAt);
    context.note("balances", Object.fromEntries([...answers].map(([server, cents]) => [server, formatCents(cents)])));
    if (answers.size < 2) throw new JourneyFailure(`only ${paidAt} ever answered: there was no other server to ask`);
    const wrong = [...answers].find(([, cents]) => cents !== expected);
    if (wrong) {
      const [server, cents] = wrong;
      throw new JourneyFailure(
        `${server} says Bob has ${formatCents(cents)}; he had ${formatCents(before.balanceCents)} at ` +
          `${paidAt} and paid ${formatCents(CLASSIC_TOTAL_CENTS)} there: each server keeps its own copy of his ` +
          `balance, like ATMs that never talk to each other`,
      );
    }
  },
};
