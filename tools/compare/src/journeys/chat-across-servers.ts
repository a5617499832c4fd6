import type { Journey } from "./journey";
import { chatPairApart } from "./chat-pair";
import { echoOf } from "./chat-echo";
import { budget } from "./pace";
import { JourneyFailure } from "./steps";

const DELIVERY_MS = 1000;
const TEXT = "Pizza tonight?";

export const chatAcrossServers: Journey = {
  name: "chat-across-servers",
  story:
    "Alice and Bob chat from different servers: does Bob get Alice's message within 1 s, once? (On a machine " +
    "slower than that, within four times what the message took to come back to Alice.)",
  expected: { stateful: "fail", stateless: "pass" },
  async run(context) {
    const { alice, bob } = await chatPairApart(context);
    const sent = performance.now();
    alice.send({ type: "send", to: "bob", text: TEXT });
    const within = budget(DELIVERY_MS, await echoOf(alice, TEXT));
    const got = await bob.next(
      (frame) => frame.type === "message" && frame.text === TEXT,
      within - (performance.now() - sent),
    );
    if (!got) {
      const told = alice.frames.find((frame) => frame.type === "error");
      throw new JourneyFailure(
        `Bob (on ${bob.servedBy}) got nothing within ${within / 1000} s of Alice's message (on ` +
          `${alice.servedBy})${told?.type === "error" ? `; Alice was told: ${told.message}` : ""}`,
      );
    }
    context.note("deliveryMs", Math.round(performance.now() - sent));
    // Counted raw, after a moment for a late duplicate: exactly once.
    await bob.next(() => false, 200);
    const copies = bob.frames.filter((frame) => frame.type === "message" && frame.text === TEXT).length;
    if (copies !== 1) throw new JourneyFailure(`Bob got Alice's message ${copies} times`);
  },
};
