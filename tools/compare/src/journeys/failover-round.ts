// One round of the store-failover journey: browsers log in, fill carts and check out without
// pause; Redis's primary is killed (kill -9) under them; each failed step is tried again, as a
// user presses again; then every session is read back and compared with what its browser was
// told (lost-writes.ts). Returns the round's figures: when the Sentinels promoted the replica, when
// writes succeeded again, the writes acknowledged and lost.
import { nthBigSpender } from "../rig/demo-logins";
import type { StoreFailover } from "../rig/shared-failover";
import { sleep } from "../util";
import type { JourneyContext } from "./journey";
import { addedTo, linesIn, lostWrites, told, type CartLine, type Session, type WriteKind } from "./lost-writes";

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
/** A round ends anyway this long after the kill. */
const ROUND_LIMIT_MS = 20_000;
const RETRY_MS = 50;
/** A step under way when the round ends is tried again for this long, so that every cart ends in a known state. */
const FINISH_MS = 5000;
/** The writes REDIS_WAIT_REPLICAS makes wait (logouts too, but the shoppers do not log out). */
export const WAITED: readonly WriteKind[] = ["login", "checkout"];

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

/**
 * One failover under a stream of writes: the shoppers write for a moment, the primary is killed,
 * they go on (trying each failed step again) until the writes that matter succeed again and a
 * little longer; then every session is read back and compared with what its browser was told.
 */
export async function failoverRound(context: JourneyContext, mode: string, round: number): Promise<RoundFigures> {
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
