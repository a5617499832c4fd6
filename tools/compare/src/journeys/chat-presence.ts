import type { Journey } from "./journey";
import { chatPairApart } from "./chat-pair";
import { budget } from "./pace";
import { JourneyFailure } from "./steps";

const ONLINE_MS = 1000;
/** A dead server's claims run out, then the next sweep notices: "within a few seconds". */
const OFFLINE_MS = 7000;

export const chatPresence: Journey = {
  name: "chat-presence",
  story:
    "Bob, on another server, must see Alice online (within 1 s, or four times his last question to the shop on " +
    "a slower machine), then offline within a few seconds of her server being killed (kill -9): no ghost",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const { alice, bob } = await chatPairApart(context);
    const asked = await bob.shopper.expect(200, "GET", "/chat/online");
    const online = await bob.next(
      (frame) => frame.type === "presence" && frame.user === "alice" && frame.online,
      budget(ONLINE_MS, asked.ms),
    );
    if (!online) {
      throw new JourneyFailure(
        `Bob (on ${bob.servedBy}) never saw Alice (on ${alice.servedBy}) come online: each server knows only ` +
          `the users it holds itself`,
      );
    }
    const killed = performance.now();
    await context.kill(alice.servedBy);
    const offline = await bob.next(
      (frame) => frame.type === "presence" && frame.user === "alice" && !frame.online,
      OFFLINE_MS,
    );
    if (!offline) {
      throw new JourneyFailure(
        `Bob still saw Alice online ${OFFLINE_MS / 1000} s after ${alice.servedBy} was killed: a ghost`,
      );
    }
    context.note("offlineSeenAfterMs", Math.round(performance.now() - killed));
  },
};
