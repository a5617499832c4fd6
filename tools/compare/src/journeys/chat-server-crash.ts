import type { ChatMessage, ServerFrame } from "@cart/domain";
import { repeated, sleep } from "../util";
import { chatPairApart } from "./chat-pair";
import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

const MESSAGES = 10;
/** Bob's server is killed after this many of Alice's messages. */
const KILLED_AFTER = 3;
const BETWEEN_MS = 50;
const SETTLE_MS = 300;

export const chatServerCrash: Journey = {
  name: "chat-server-crash",
  story:
    `Bob's server is killed (kill -9) while Alice writes ${MESSAGES} messages; Bob reconnects, to any server: ` +
    "does he get all of them, in order, once, with the right unread count?",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const { alice, bob } = await chatPairApart(context);
    // From here on, what Bob has not read from Alice is this journey's messages only.
    const before = await bob.shopper.expect(200, "GET", "/chat/history?with=alice&after=0");
    const lastBefore = (before.body.messages as ChatMessage[]).at(-1)?.id ?? 0;
    if (lastBefore > 0) {
      bob.send({ type: "read", with: "alice", upTo: lastBefore });
      await bob.next((frame) => frame.type === "unread" && frame.from === "alice" && frame.count === 0, 1000);
    }

    const texts = Array.from({ length: MESSAGES }, (_, i) => `Message ${i + 1} of ${MESSAGES}`);
    const bobsServer = bob.servedBy;
    for (const [i, text] of texts.entries()) {
      if (i === KILLED_AFTER) await context.kill(bobsServer);
      alice.send({ type: "send", to: "bob", text });
      await sleep(BETWEEN_MS);
    }

    // Bob's browser reconnects, through the balancer, to whichever server it sends him to, and
    // resumes after the last message his old socket got.
    const again = await context.chat(bob.shopper);
    context.note("bob", { before: bobsServer, after: again.servedBy });
    await sleep(SETTLE_MS);
    const ours = (messages: ChatMessage[]) =>
      messages.filter((message) => message.id > lastBefore && texts.includes(message.text));
    const messagesIn = (frames: ServerFrame[]) =>
      ours(frames.filter((frame) => frame.type === "message").map((frame) => frame as ChatMessage));
    const old = messagesIn(bob.frames);
    const lastSeen = old.at(-1)?.id ?? lastBefore;
    const resumed = await bob.shopper.expect(200, "GET", `/chat/history?with=alice&after=${lastSeen}`);
    const got = [...old, ...ours(resumed.body.messages as ChatMessage[])];
    context.note("received", { live: old.length, resumed: got.length - old.length });

    // Raw, before any de-duplication: no socket got a message twice, and all of them came once.
    for (const [socket, frames] of [
      ["old", old],
      ["new", messagesIn(again.frames)],
    ] as const) {
      const twice = repeated(frames.map(({ id }) => id));
      if (twice.length > 0) throw new JourneyFailure(`Bob's ${socket} socket got message(s) ${twice} twice`);
    }
    if (got.length !== MESSAGES) {
      throw new JourneyFailure(
        `Bob, back on ${again.servedBy} after ${bobsServer} was killed, has ${got.length} of Alice's ${MESSAGES} ` +
          "messages",
      );
    }
    const order = got.map(({ text }) => texts.indexOf(text));
    if (order.some((n, i) => n !== i)) throw new JourneyFailure(`Bob has Alice's messages out of order: ${order}`);
    const unread = (await bob.shopper.expect(200, "GET", "/chat/unread")).body.unread as Record<string, number>;
    if (unread.alice !== MESSAGES) {
      throw new JourneyFailure(`GET /chat/unread says ${unread.alice ?? 0} unread from Alice, not ${MESSAGES}`);
    }
  },
};
