import { TYPING_MS } from "@cart/domain";
import { sleep } from "../util";
import { chatPairApart } from "./chat-pair";
import type { Journey } from "./journey";
import { budget } from "./pace";
import { JourneyFailure } from "./steps";

const SEEN_MS = 1000;
/** How often Bob's browser asks who is typing to him, and how late past TYPING_MS it may still say Alice. */
const POLL_MS = 250;
const LATE_MS = 1500;

export const chatTyping: Journey = {
  name: "chat-typing",
  story:
    `Alice, on another server, starts typing to Bob: does "Alice is typing" reach him within 1 s (on a machine ` +
    `slower than that, four times what his last question to the shop took), and does it run out by itself ` +
    `about ${TYPING_MS / 1000} s later, whichever server he asks?`,
  expected: { stateful: "fail", stateless: "pass" },
  async run(context) {
    const { alice, bob } = await chatPairApart(context);
    // Who is typing to Bob, asked through the balancer before Alice types: nobody, and how long it took.
    const asked = await bob.shopper.expect(200, "GET", "/chat/typing");
    const within = budget(SEEN_MS, asked.ms);
    const started = performance.now();
    alice.send({ type: "typing", to: "bob" });
    const seen = await bob.next((frame) => frame.type === "typing" && frame.from === "alice", within);
    if (!seen) {
      throw new JourneyFailure(
        `Bob (on ${bob.servedBy}) never saw "Alice is typing" from ${alice.servedBy} within ${within} ms: ` +
          `only her server knew`,
      );
    }
    context.note("typingSeenMs", Math.round(performance.now() - started));

    // Bob's browser asks, through the balancer (so, on the stateless side, any server), until
    // nobody is typing to him: the indicator lives in the store and runs out there.
    const typingNow = async () =>
      ((await bob.shopper.expect(200, "GET", "/chat/typing")).body.typing as string[]).includes("alice");
    if (!(await typingNow())) {
      throw new JourneyFailure(`GET /chat/typing did not say Alice was typing right after Bob saw it`);
    }
    const deadline = TYPING_MS + LATE_MS;
    while (await typingNow()) {
      if (performance.now() - started > deadline) {
        throw new JourneyFailure(`GET /chat/typing still says Alice is typing ${deadline / 1000} s after she stopped`);
      }
      await sleep(POLL_MS);
    }
    const ended = Math.round(performance.now() - started);
    context.note("typingEndedAfterMs", ended);
    if (ended < TYPING_MS - POLL_MS) {
      throw new JourneyFailure(`"Alice is typing" ran out after ${ended} ms, not about ${TYPING_MS / 1000} s`);
    }
  },
};
