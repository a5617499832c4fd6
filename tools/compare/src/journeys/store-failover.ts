// The shared store's own failure. The stateless servers are cattle because their state is in
// Redis; so Redis is now the one server that must not die. Production runs it as a primary, a
// replica and Sentinels that promote the replica when the primary dies. This journey kills the
// primary (kill -9) while shoppers log in, fill carts and check out without pause:
//  1. with plain asynchronous replication: the primary answers before its replica has the write;
//  2. with REDIS_WAIT_REPLICAS=1 rolled out: a login, a logout and a checkout answer only once a
//     replica confirmed them (WAIT), and 503 while none can.
// Each time it measures how long requests failed, and counts the writes the shoppers were
// told were made that are gone afterwards. The chat's routing (Redis pub/sub) must work after the
// failover as before it.
import type { Journey } from "./journey";
import { chatPairApart } from "./chat-pair";
import type { Chatter } from "./chatter";
import { failoverRound, WAITED, type RoundFigures } from "./failover-round";
import { JourneyFailure } from "./steps";

/** The target: requests succeed again within 5 s of the primary's death. */
const RECOVERY_TARGET_MS = 5000;
const DELIVERY_MS = 2000;
const ASYNC = "asynchronous replication";
const WAIT = "WAIT for 1 replica on logins and checkouts";

export const storeFailover: Journey = {
  name: "store-failover",
  story:
    "Redis's primary is killed (kill -9) while shoppers log in, fill carts and check out, twice: with " +
    "asynchronous replication, then with logins and checkouts waiting for a replica (WAIT): seconds until " +
    "requests succeed again (≤ 5 s), acknowledged writes lost, the chat after the failover",
  expected: { stateful: "pass", stateless: "pass" },
  optIn: true,
  needsLocalClusters: true,
  needsSentinel: true,
  async run(context) {
    const chats = await chatPairApart(context);
    const before = await chatDelivers(chats, "before the failover");

    const rounds = [await failoverRound(context, ASYNC, 1)];
    const after = await chatDelivers(chats, "after the failover");
    chats.alice.close();
    chats.bob.close();
    context.note("chat", { before, after });

    await context.reconfigure({ REDIS_WAIT_REPLICAS: "1" });
    rounds.push(await failoverRound(context, WAIT, 2));
    context.note("rounds", rounds);
    context.note("figures", [
      ...rounds.flatMap((round) => [describeRound(round), ...round.evidence.map((line) => `  ${line}`)]),
      describeChat(before, after),
    ]);

    for (const round of rounds) {
      if (round.writesAgainMs !== null && round.writesAgainMs > RECOVERY_TARGET_MS) {
        context.note("sentinelEvents", context.sentinelEvents());
        throw new JourneyFailure(
          `with ${round.mode}, writes failed for ${seconds(round.writesAgainMs)} after the primary was killed ` +
            `(target ${seconds(RECOVERY_TARGET_MS)}; the Sentinels promoted its replica after ` +
            `${seconds(round.promotedAfterMs)})`,
        );
      }
    }
    const waited = rounds.filter((round) => round.mode === WAIT);
    const waitedLost = waited.reduce((sum, round) => sum + WAITED.reduce((n, kind) => n + round.lost[kind], 0), 0);
    if (waitedLost > 0)
      throw new JourneyFailure(
        `${waitedLost} logins or checkouts a replica had confirmed (WAIT) were lost in the failover`,
      );
    if (before.delivered && !after.delivered)
      throw new JourneyFailure(
        `the chat crossed servers before the failover but not after it: Bob (on ${chats.bob.servedBy}) got ` +
          `nothing within ${seconds(DELIVERY_MS)} of Alice's message (on ${chats.alice.servedBy})`,
      );
  },
};

/** Alice sends Bob a message across servers; whether (and how fast) it arrived. */
async function chatDelivers(
  { alice, bob }: { alice: Chatter; bob: Chatter },
  when: string,
): Promise<{ delivered: boolean; ms?: number }> {
  const text = `Pizza ${when}?`;
  const sent = performance.now();
  alice.send({ type: "send", to: "bob", text });
  const got = await bob.next((frame) => frame.type === "message" && frame.text === text, DELIVERY_MS);
  return got ? { delivered: true, ms: Math.round(performance.now() - sent) } : { delivered: false };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describeRound(round: RoundFigures): string {
  const { acknowledged, lost } = round;
  const again =
    round.writesAgainMs === null
      ? "writes never stopped"
      : `writes succeeded again ${seconds(round.writesAgainMs)} after the kill` +
        (round.mode === WAIT && round.waitedWritesAgainMs !== null
          ? `, logins and checkouts (which wait for a replica) ${seconds(round.waitedWritesAgainMs)} after it`
          : "") +
        ` (the Sentinels promoted the replica after ${seconds(round.promotedAfterMs)})`;
  const kinds = ["login", "add", "checkout"] as const;
  const counts = kinds.map((kind) => `${lost[kind]} of ${acknowledged[kind]} ${kind}s`);
  return (
    `${round.mode}: ${again}; acknowledged writes lost: ${counts.join(", ")} (${round.failedRequests} requests ` +
    `failed and were tried again, ${round.madeAfter503} of them adds made after all)` +
    (round.seenThenUndone > 0
      ? `; ${round.seenThenUndone} checkouts answered 503, then seen made (an empty cart), were undone by it`
      : "")
  );
}

function describeChat(before: { delivered: boolean }, after: { delivered: boolean; ms?: number }): string {
  if (!before.delivered) return "chat: does not cross servers in this app, before or after the failover";
  return after.delivered
    ? `chat: a message crossed servers after the failover in ${after.ms} ms (the servers subscribed again)`
    : "chat: a message crossed servers before the failover, not after";
}
