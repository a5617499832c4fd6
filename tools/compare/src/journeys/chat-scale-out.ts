import type { Chatter } from "./chatter";
import { chatLandingOn, chatPairApart } from "./chat-pair";
import { echoOf } from "./chat-echo";
import type { Journey } from "./journey";
import { budget } from "./pace";
import { JourneyFailure } from "./steps";

const DELIVERY_MS = 1000;

export const chatScaleOut: Journey = {
  name: "chat-scale-out",
  story:
    "A server joins while Alice and Bob chat on two others: do new connections land on it, and can Carol, " +
    "connected to it, talk with both of them?",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const { alice, bob } = await chatPairApart(context);
    const added = await context.addInstance();
    const carol = await chatLandingOn(context, "carol", (server) => server === added, added);
    context.note("servers", { alice: alice.servedBy, bob: bob.servedBy, carol: carol.servedBy });

    const started = performance.now();
    for (const [to, reader] of [
      ["alice", alice],
      ["bob", bob],
    ] as const) {
      await delivered(carol, reader, to, `Hi ${reader.shopper.name}, Carol here`);
    }
    await delivered(alice, carol, "carol", "Welcome, Carol");
    context.note("talkedWithinMs", Math.round(performance.now() - started));
  },
};

/**
 * `from` writes `text` to `to`, and `reader` (to's socket) must get it within DELIVERY_MS, or four
 * times what it took to come back to `from` on a machine slower than that.
 */
async function delivered(from: Chatter, reader: Chatter, to: string, text: string): Promise<void> {
  const sent = performance.now();
  from.send({ type: "send", to, text });
  const within = budget(DELIVERY_MS, await echoOf(from, text)) - (performance.now() - sent);
  if (await reader.next((frame) => frame.type === "message" && frame.text === text, within)) return;
  const told = from.frames.find((frame) => frame.type === "error");
  throw new JourneyFailure(
    `${reader.shopper.name} (on ${reader.servedBy}) never got "${text}" from ${from.shopper.name} (on ` +
      `${from.servedBy})${told?.type === "error" ? `; ${from.shopper.name} was told: ${told.message}` : ""}`,
  );
}
