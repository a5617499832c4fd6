// Domain errors: each carries a stable `code` that clients and the HTTP layer rely on.
// The HTTP layer maps codes to statuses; messages are for people and may change.
import { formatCents } from "./money";

export type DomainErrorCode =
  | "UNKNOWN_SKU"
  | "INVALID_QUANTITY"
  | "QUANTITY_LIMIT"
  | "CART_FULL"
  | "NOT_IN_CART"
  | "EMPTY_CART"
  | "BAD_CREDENTIALS"
  | "INSUFFICIENT_CREDIT"
  | "STORE_UNAVAILABLE";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnknownSkuError extends DomainError {
  constructor(sku: string) {
    super("UNKNOWN_SKU", `There is no product "${sku}" in the catalog`);
  }
}

export class InvalidQuantityError extends DomainError {
  constructor(quantity: number, min: number, max: number) {
    super("INVALID_QUANTITY", `Quantity must be a whole number from ${min} to ${max} (got ${quantity})`);
  }
}

export class QuantityLimitError extends DomainError {
  constructor(sku: string, max: number) {
    super("QUANTITY_LIMIT", `A cart line holds at most ${max} of "${sku}"`);
  }
}

export class CartFullError extends DomainError {
  constructor(maxLines: number) {
    super("CART_FULL", `A cart holds at most ${maxLines} different products`);
  }
}

export class NotInCartError extends DomainError {
  constructor(sku: string) {
    super("NOT_IN_CART", `There is no "${sku}" in the cart`);
  }
}

export class EmptyCartError extends DomainError {
  constructor() {
    super("EMPTY_CART", "An empty cart cannot be checked out");
  }
}

export class BadCredentialsError extends DomainError {
  constructor() {
    super("BAD_CREDENTIALS", "Unknown username or wrong password");
  }
}

export class InsufficientCreditError extends DomainError {
  constructor(
    readonly balanceCents: number,
    readonly neededCents: number,
  ) {
    super(
      "INSUFFICIENT_CREDIT",
      `The order costs ${formatCents(neededCents)} and your store credit is ${formatCents(balanceCents)}: nothing was charged`,
    );
  }
}

/** Thrown by adapters whose store (e.g. Redis) did not answer in time or is unreachable. */
export class StoreUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super("STORE_UNAVAILABLE", "The state store is unavailable; try again shortly");
    this.cause = cause;
  }
}
