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
  | "UNSUPPORTED_IMAGE"
  | "AVATAR_TOO_LARGE"
  | "NO_AVATAR"
  | "NO_ORDER"
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

export class UnsupportedImageError extends DomainError {
  constructor(size: number) {
    super(
      "UNSUPPORTED_IMAGE",
      size === 0
        ? "The body is empty: send a PNG, JPEG or WebP image as the raw request body"
        : "The body is not a PNG, JPEG or WebP image (judged by its bytes, whatever its Content-Type says)",
    );
  }
}

export class AvatarTooLargeError extends DomainError {
  constructor(maxBytes: number) {
    super("AVATAR_TOO_LARGE", `An avatar is at most ${maxBytes / 1024 / 1024} MB`);
  }
}

export class NoAvatarError extends DomainError {
  /** `where`: the place that was looked in, as the avatar repository names it. */
  constructor(userId: string, where: string) {
    super("NO_AVATAR", `There is no avatar for "${userId}" ${where}`);
  }
}

export class NoOrderError extends DomainError {
  /** `where`: the place that was looked in, as the account repository names it. */
  constructor(orderId: string, where: string) {
    super("NO_ORDER", `There is no order ${orderId} of yours ${where}`);
  }
}

/** Thrown by adapters whose store (e.g. Redis) did not answer in time or is unreachable. */
export class StoreUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super("STORE_UNAVAILABLE", "The state store is unavailable; try again shortly");
    this.cause = cause;
  }
}
