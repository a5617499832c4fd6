// Store credit: what a user may spend at checkout. Every change is a ledger line, so the lines
// always add up to the balance, and the balance never goes below zero.
import { InsufficientCreditError } from "./errors";
import type { Order } from "./order";

export interface LedgerEntry {
  /** Positive when credit comes in, negative when an order spends it. */
  readonly amountCents: number;
  /** The balance just after this line. */
  readonly balanceCents: number;
  readonly description: string;
  /** The order that spent it, if one did. */
  readonly orderId?: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

export interface Wallet {
  readonly balanceCents: number;
  /** Oldest first. */
  readonly ledger: readonly LedgerEntry[];
}

export const STARTING_CREDIT = "Starting credit";

/** A wallet's first line. */
export function openingEntry(cents: number, now: Date = new Date()): LedgerEntry {
  return { amountCents: cents, balanceCents: cents, description: STARTING_CREDIT, createdAt: now.toISOString() };
}

export const orderDescription = (order: Order) => `Order ${order.id}`;

/** The wallet after paying for `order`; InsufficientCreditError (and nothing changes) if it cannot. */
export function pay(wallet: Wallet, order: Order, now: Date = new Date()): Wallet {
  if (order.totalCents > wallet.balanceCents) throw new InsufficientCreditError(wallet.balanceCents, order.totalCents);
  const balanceCents = wallet.balanceCents - order.totalCents;
  const entry: LedgerEntry = {
    amountCents: -order.totalCents,
    balanceCents,
    description: orderDescription(order),
    orderId: order.id,
    createdAt: now.toISOString(),
  };
  return { balanceCents, ledger: [...wallet.ledger, entry] };
}
