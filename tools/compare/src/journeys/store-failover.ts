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
import { nthBigSpender } from "../rig/demo-logins";
import type { StoreFailover } from "../rig/shared-failover";
import { sleep } from "../util";
import type { Journey, JourneyContext } from "./journey";
import { chatPairApart } from "./chat-pair";
import type { Chatter } from "./chatter";
import { addedTo, linesIn, lostWrites, told, type CartLine, type Session, type WriteKind } from "./lost-writes";
import { JourneyFailure } from "./steps";

/** Browsers writing at once: two for each of the users whose store credit never runs out. */
const WRITERS = 6;
/**
 * One add of each before a checkout; then the browser logs in again (a new session, a new cart).
 * Each add a product of its own: a request told 503 may still be made seconds later (a Sentinel
 * client holds commands until it finds the new primary), which adds to a quantity but never takes
 * a product away, so a product missing is a write lost, whatever came late.
 */
const SKUS = ["margherita-pizza", "pepperoni-pizza", "mushrooms"];
/** Writing before the kill, so that the primary dies with writes in flight. */
const STEADY_MS = 1000;
/** Writing after the store answers again (and the chat's claims are renewed). */
const AFTER_RECOVERY_MS = 1500;
/** The target: requests succeed again within 5 s of the primary's death. */
const RECOVERY_TARGET_MS = 5000;
/** A round ends anyway this long after the kill. */
const ROUND_LIMIT_MS = 20_000;
const RETRY_MS = 50;
/** A step under way when the round ends is tried again for this long, so that every cart ends in a known state. */
const FINISH_MS = 5000;
const DELIVERY_MS = 2000;
const ASYNC = "asynchronous replication";
const WAIT = "WAIT for 1 replica on logins and checkouts";

/** The writes REDIS_WAIT_REPLICAS makes wait (logouts too, but the shoppers do not log out). */
const WAITED: readonly WriteKind[] = ["login", "checkout"];

export interface RoundFigures {
  readonly mode: string;
  /** From the kill to the moment the Sentinels named the replica the new primary. */
  readonly promotedAfterMs: number;
  /** From the kill to the first acknowledged write sent after it (null: the store was not needed). */
  readonly writesAgainMs: number | null;
  /** The same for the writes that wait for a replica in the WAIT round (logins, checkouts). */
  readonly waitedWritesAgainMs: number | null;
  readonly acknowledged: Record<WriteKind, number>;
  readonly lost: Record<WriteKind, number>;
  /** Each browser that lost writes: what it was told, and what its session holds now. */
  readonly evidence: string[];
  /** Adds answered 503 that were made after all (the browser tried again, so it has the product twice). */
  readonly madeAfter503: number;
  /**
   * Checkouts answered 503 whose cart, tried again, was found empty (made on the primary, not yet on
   * a replica), and which the failover undid: the cart came back. Not acknowledged writes: no answer
   * said they were made.
   */
  readonly seenThenUndone: number;
  readonly failedRequests: number;
}

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

/**
 * One failover under a stream of writes: the shoppers write for a moment, the primary is killed,
 * they go on (trying each failed step again) until the writes that matter succeed again and a
 * little longer; then every session is read back and compared with what its browser was told.
 */
async function failoverRound(context: JourneyContext, mode: string, round: number): Promise<RoundFigures> {
  // Only once the replica has everything: a write it never had the chance to copy is not the lesson.
  await context.storeReplicated();
  const sessions: Session[] = [];
  const stream = { failover: undefined as StoreFailover | undefined, stopAt: Infinity, failed: 0, failedAfterKill: 0 };
  const firstAfterKill: Partial<Record<WriteKind, number>> = {};
  const acknowledge = (
    session: Session,
    kind: WriteKind,
    lines: readonly CartLine[],
    sentAt: number,
    confirmed = true,
  ) => {
    session.acknowledged.push({ kind, lines, confirmed });
    const killedAt = stream.failover?.killedAt;
    if (killedAt !== undefined && sentAt >= killedAt) firstAfterKill[kind] ??= Date.now() - killedAt;
  };

  const writers = Array.from({ length: WRITERS }, async (_, n) => {
    const user = nthBigSpender(n);
    for (let cart = 1; Date.now() < stream.stopAt; cart++) {
      const session: Session = {
        shopper: context.shopper(`${user} (round ${round}, writer ${n + 1}, cart ${cart})`, user),
        acknowledged: [],
      };
      const until = () => Date.now() >= stream.stopAt;
      const logged = await untilDone(stream, async () => {
        const sentAt = Date.now();
        const ok = await session.shopper.login().then(
          () => true,
          () => false,
        );
        if (ok) acknowledge(session, "login", [], sentAt);
        return ok;
      });
      if (!logged) break;
      sessions.push(session);
      if (until()) break;
      for (let step = 0; step <= SKUS.length && !until(); step++) {
        const checkout = step === SKUS.length;
        const done = await untilDone(stream, async () => {
          const sentAt = Date.now();
          const reply = checkout
            ? await session.shopper.send("POST", "/checkout")
            : await session.shopper.send("POST", "/cart/items", { sku: SKUS[step], quantity: 1 });
          // Tried again, a checkout that was made though its answer was a 503 finds the cart empty.
          const madeBefore = checkout && reply.body?.error?.code === "EMPTY_CART";
          if (reply.status !== (checkout ? 201 : 200) && !madeBefore) return false;
          if (!checkout) acknowledge(session, "add", [{ sku: SKUS[step]!, quantity: 1 }], sentAt);
          // What it ordered; told "empty", the lines it was told were added.
          else if (madeBefore) acknowledge(session, "checkout", addedTo(session), sentAt, false);
          else acknowledge(session, "checkout", linesIn(reply.body.order), sentAt);
          return true;
        });
        if (!done) {
          // Its cart is in a state no answer told: not counted either way.
          sessions.splice(sessions.indexOf(session), 1);
          return;
        }
      }
    }
  });

  await sleep(STEADY_MS);
  const failover = await context.killStorePrimary();
  stream.failover = failover;
  // Until the writes that wait for a replica succeed again (or the round's limit), then a little longer.
  const deadline = failover.killedAt + ROUND_LIMIT_MS;
  while (WAITED.some((kind) => firstAfterKill[kind] === undefined) && Date.now() < deadline) await sleep(RETRY_MS);
  await sleep(AFTER_RECOVERY_MS);
  stream.stopAt = Date.now();
  await Promise.all(writers);
  const { afterMs: promotedAfterMs } = await failover.promoted;
  await failover.rejoined;

  const lost = { login: 0, add: 0, checkout: 0 };
  const evidence: string[] = [];
  let madeAfter503 = 0;
  let seenThenUndone = 0;
  for (const session of sessions) {
    const { gone, now, extra } = await lostWrites(session);
    madeAfter503 += extra;
    for (const write of gone) {
      if (write.confirmed) lost[write.kind]++;
      else seenThenUndone++;
    }
    if (gone.length > 0) evidence.push(`${session.shopper.name} was told ${told(session.acknowledged)}; ${now}`);
  }
  const acknowledged = { login: 0, add: 0, checkout: 0 };
  for (const write of sessions.flatMap((session) => session.acknowledged))
    if (write.confirmed) acknowledged[write.kind]++;
  // An app that does not keep its state in Redis (the stateful one) never noticed the kill.
  const stopped = stream.failedAfterKill > 0;
  const anyAgain = Object.values(firstAfterKill);
  const waitedAgain = WAITED.map((kind) => firstAfterKill[kind]).filter((ms) => ms !== undefined);
  return {
    mode,
    promotedAfterMs,
    writesAgainMs: stopped && anyAgain.length > 0 ? Math.min(...anyAgain) : null,
    waitedWritesAgainMs: stopped && waitedAgain.length === WAITED.length ? Math.max(...waitedAgain) : null,
    acknowledged,
    lost,
    evidence,
    madeAfter503,
    seenThenUndone,
    failedRequests: stream.failed,
  };
}

/**
 * Tries `step` until it succeeds (a user pressing again after an error), or until a while after
 * the round ended; whether it succeeded.
 */
async function untilDone(
  stream: { failover: StoreFailover | undefined; stopAt: number; failed: number; failedAfterKill: number },
  step: () => Promise<boolean>,
) {
  while (Date.now() < stream.stopAt + FINISH_MS) {
    if (await step()) return true;
    stream.failed++;
    if (stream.failover) stream.failedAfterKill++;
    await sleep(RETRY_MS);
  }
  return false;
}

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
