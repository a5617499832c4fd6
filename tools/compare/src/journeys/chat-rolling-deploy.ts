import type { ChatMessage } from "@cart/domain";
import { alongside, repeated, sleep } from "../util";
import { ChatLine } from "./chat-line";
import { chatPairApart } from "./chat-pair";
import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

/** Alice writes a message this often (the chat allows 10 frames a second). */
const EVERY_MS = 100;
/** After the deploy, for the last message to reach Bob. */
const SETTLE_MS = 500;

export const chatRollingDeploy: Journey = {
  name: "chat-rolling-deploy",
  story:
    "Alice keeps writing to Bob, on another server, while every server is restarted in turn (drained, SIGTERM, " +
    "started again); both reconnect whenever their server goes: does Bob get every message once, in order?",
  expected: { stateful: "fail", stateless: "pass" },
  needsLocalClusters: true,
  async run(context) {
    const pair = await chatPairApart(context);
    const alice = new ChatLine(context, pair.alice, "bob");
    const bob = new ChatLine(context, pair.bob, "alice");
    bob.keepOpen();

    // Texts and refs of this run only: the conversation may hold earlier journeys' messages.
    const run = `deploy-${Date.now().toString(36)}`;
    const sent: ChatMessage[] = [];
    let deploying = true;
    const deploy = alongside(
      (async () => {
        for (const id of context.instanceIds()) await context.restart(id);
      })().finally(() => (deploying = false)),
    );
    try {
      try {
        for (let n = 1; deploying; n++) {
          sent.push(await alice.sendAcknowledged("bob", `${run} message ${n}`, `${run}-${n}`));
          await sleep(EVERY_MS);
        }
      } finally {
        await deploy();
      }
      await sleep(SETTLE_MS);
    } finally {
      await bob.stop();
    }
    context.note("messages", sent.length);
    context.note("reconnects", { alice: alice.reconnects, bob: bob.reconnects });
    context.note("resentByAlice", alice.resent);
    context.note("servers", { alice: alice.sockets.map((s) => s.servedBy), bob: bob.sockets.map((s) => s.servedBy) });
    if (sent.length === 0) throw new JourneyFailure("the deploy finished before Alice could write");

    const ours = (messages: ChatMessage[]) => messages.filter(({ text }) => text.startsWith(`${run} `));
    // Raw, before any de-duplication: no socket and no page of history holds a message twice, and
    // no text was taken twice (a resend that became a second message).
    const batches = [
      ...bob.sockets.map((socket, i) => [`socket ${i + 1} (${socket.servedBy})`, socket.frames] as const),
      ...bob.resumed.map((page, i) => [`history page ${i + 1}`, page] as const),
    ];
    for (const [where, frames] of batches) {
      const twice = repeated(ours(frames.filter((frame) => "id" in frame) as ChatMessage[]).map(({ id }) => id));
      if (twice.length > 0) throw new JourneyFailure(`Bob's ${where} got message(s) ${twice} twice`);
    }
    const byId = new Map(ours(bob.seen()).map((message) => [message.id, message]));
    const got = [...byId.values()].sort((a, b) => a.id - b.id);
    const copied = repeated(got.map(({ text }) => text));
    if (copied.length > 0) throw new JourneyFailure(`Alice's "${copied[0]}" reached Bob as two messages`);
    const missing = sent.filter(({ id }) => !byId.has(id));
    if (missing.length > 0) {
      throw new JourneyFailure(
        `Bob is missing ${missing.length} of Alice's ${sent.length} messages (first: "${missing[0]!.text}"), ` +
          `though each came back to her with an id`,
      );
    }
    const order = got.map(({ text }) => Number(text.split(" ").at(-1)));
    if (order.some((n, i) => n !== i + 1)) throw new JourneyFailure(`Bob has Alice's messages out of order: ${order}`);
  },
};
