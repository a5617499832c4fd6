// What a browser was told it wrote, and which of it is gone: the store-failover journey's
// accounting. Each session logs in, adds one of each product, and checks out; a request told 503
// may still be made later (it only ever adds), so a product missing is a write lost, and one more
// than asked for is an add made after all.
import type { Shopper } from "./shopper";
import { JourneyFailure } from "./steps";

export type WriteKind = "login" | "add" | "checkout";
/** A write the browser was told was made: the product it added, or the lines a checkout ordered. */
export interface Acknowledged {
  readonly kind: WriteKind;
  readonly lines: readonly CartLine[];
  /**
   * False for a checkout answered 503 and then found made (tried again: "your cart is empty"): the
   * browser saw it on the primary, but no answer said it was made, so no replica had confirmed it.
   */
  readonly confirmed: boolean;
}

export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
}

export interface Session {
  readonly shopper: Shopper;
  readonly acknowledged: Acknowledged[];
}

/**
 * The acknowledged writes of a session that are gone, and what it holds now. A session that is
 * gone took all of them with it. A checkout is lost if every line it ordered is back in the cart
 * (its settling was lost); before one, an add is lost if its product is not in the cart.
 */
export async function lostWrites(session: Session): Promise<{ gone: Acknowledged[]; now: string; extra: number }> {
  const { acknowledged, shopper } = session;
  const reply = await shopper.send("GET", "/cart");
  if (reply.status === 401) return { gone: acknowledged, now: "now its session is unknown (401)", extra: 0 };
  if (reply.status !== 200) throw new JourneyFailure(`GET /cart → ${reply.status} after the failover`);
  const lines = linesIn(reply.body);
  const cart = new Map(lines.map(({ sku, quantity }) => [sku, quantity]));
  const holds = ({ sku, quantity }: CartLine) => (cart.get(sku) ?? 0) >= quantity;
  const now = `now its cart holds ${describeLines(lines)}`;
  // One of each was asked for: any more is an add told 503 and made after all, before or after a checkout.
  const beyondOne = (some: readonly CartLine[]) => some.reduce((sum, { quantity }) => sum + quantity - 1, 0);
  const checkout = acknowledged.find((write) => write.kind === "checkout");
  if (!checkout) {
    const gone = acknowledged.filter((write) => write.kind === "add" && !write.lines.every(holds));
    return { gone, now, extra: beyondOne(lines) };
  }
  if (checkout.lines.every(holds)) return { gone: [checkout], now, extra: beyondOne(checkout.lines) };
  return { gone: [], now, extra: beyondOne(checkout.lines) + lines.reduce((sum, { quantity }) => sum + quantity, 0) };
}

/** The lines of a cart or an order, as an answer gave them. */
export const linesIn = (body: { items?: CartLine[] } | undefined): CartLine[] =>
  (body?.items ?? []).map(({ sku, quantity }) => ({ sku, quantity }));

/** The lines a session was told it added. */
export const addedTo = (session: Session): CartLine[] =>
  session.acknowledged.filter((write) => write.kind === "add").flatMap((write) => write.lines);

const describeLines = (lines: readonly CartLine[]) =>
  lines.length === 0 ? "nothing" : lines.map(({ sku, quantity }) => `${quantity}× ${sku}`).join(", ");

/** What a browser was told, in order: "login, add mushrooms, checkout". */
export const told = (acknowledged: readonly Acknowledged[]) =>
  acknowledged.map(({ kind, lines }) => (kind === "add" ? `add ${lines[0]!.sku}` : kind)).join(", ");
