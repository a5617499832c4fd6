// Ports: what the shop and its chat need from wherever their state lives. Each app provides adapters:
// in process memory (stateful), or outside the process (stateless: Redis for what is temporary,
// PostgreSQL for what must last). Sessions use express-session's own Store interface (MemoryStore,
// connect-redis' RedisStore), so they need no port here.
import type { Avatar } from "./avatar";
import type { CartLine } from "./cart";
import type { ChatMessage, ServerFrame } from "./chat";
import type { Order } from "./order";
import type { Wallet } from "./wallet";

/**
 * Carts belong to a session (logout discards them). Every write is one atomic operation on
 * the store, never a read-modify-write of the whole cart, so parallel requests lose no update.
 * An unknown cart id is an empty cart.
 */
export interface CartRepository {
  lines(cartId: string): Promise<CartLine[]>;
  /** Adds to the sku's line (creating it); enforces MAX_QUANTITY and MAX_LINES. */
  add(cartId: string, sku: string, quantity: number): Promise<CartLine[]>;
  /** Sets an existing line's quantity; 0 removes the line. NotInCartError if absent. */
  setQuantity(cartId: string, sku: string, quantity: number): Promise<CartLine[]>;
  /**
   * The cart's lines and the id the order made from them will have: the same id every time it is
   * asked, until `settle` (or emptying the cart) ends it, so a checkout tried again after a failure
   * finds the order it may already have placed (see checkout.ts).
   */
  forCheckout(cartId: string): Promise<{ orderId: string; lines: CartLine[] }>;
  /**
   * Takes a placed order's lines out of the cart, in one atomic step, if the cart still names that
   * order (once: a second settle of the same order changes nothing); what was added since stays.
   */
  settle(cartId: string, order: Order): Promise<void>;
  discard(cartId: string): Promise<void>;
}

/** A user's account: their orders and store credit. It belongs to the user and outlives sessions. */
export interface AccountRepository {
  /** Where `order` looks, as a 404 says it: "on this server (stateful-2)", "in the database". */
  readonly where: string;
  /**
   * Pays for the order from the user's credit, records it and hands it to the kitchen, in one
   * atomic step. An order already placed (the same id) is returned as it is now, and paid and
   * queued once. Not enough credit: InsufficientCreditError, and nothing changes.
   */
  place(userId: string, order: Order): Promise<Order>;
  /** Oldest first, each with the kitchen's progress. */
  orders(userId: string): Promise<Order[]>;
  /** One of the user's orders as it is now; NoOrderError if they have none of that id here. */
  order(userId: string, orderId: string): Promise<Order>;
  wallet(userId: string): Promise<Wallet>;
}

/**
 * The kitchen's writes to the orders it cooks. Each is one conditional write on the order, so that
 * a job delivered twice (its first worker died or stalled, and another got it) cooks it once.
 */
export interface KitchenOrders {
  /**
   * A worker of `cook` starts on the order: unless it is ready (or unknown), it becomes
   * `preparing` by `cook`, one attempt more. Resolves with that attempt's number and what to cook,
   * or undefined when there is nothing to do.
   */
  start(orderId: string, cook: string, at: Date): Promise<{ attempt: number; items: Order["items"] } | undefined>;
  /**
   * The attempt is done: the order becomes `ready`, cooked once more, only if it is still that
   * attempt's (no later delivery took it over). Resolves with whether it did.
   */
  finish(orderId: string, attempt: number, at: Date): Promise<boolean>;
}

/** The workers that cook the orders, on this server, taking them from wherever the queue lives. */
export interface Kitchen {
  /** Where the queue lives, for people: "this server's memory", "PostgreSQL (pg-boss)". */
  readonly queue: string;
  /**
   * The orders this process holds (for /healthz): waiting in a queue in its memory (0 when the queue
   * lives elsewhere), and being cooked by its workers now.
   */
  held(): { waiting: number; cooking: number };
  /** Stops taking orders and waits for the ones being cooked here (or until `deadlineMs`). */
  stop(deadlineMs: number): Promise<void>;
}

/**
 * Users' avatars: one file per user, wherever files are kept (this server's own disk, or object
 * storage that every server shares). Each write replaces the whole file, so a reader sees the old
 * picture or the new one, never half of either.
 */
export interface AvatarRepository {
  /** Where `find` looks, as a 404 says it: "on this server's own disk (stateful-2)", "in object storage". */
  readonly where: string;
  save(userId: string, avatar: Avatar): Promise<void>;
  find(userId: string): Promise<Avatar | undefined>;
  /** Deletes the user's avatar; none is not an error. */
  remove(userId: string): Promise<void>;
}

/** A chat message before the state has given it its id. */
export type ChatDraft = Omit<ChatMessage, "id">;

/**
 * What the chat must keep, whoever holds the sockets: every message and how far each user has read
 * (ChatState's append, history, markRead and unread, without typing and delivery).
 */
export interface ChatHistory {
  append(draft: ChatDraft): Promise<{ message: ChatMessage; repeated: boolean; unread: number }>;
  page(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]>;
  markRead(user: string, other: string, upTo: number): Promise<number>;
  unread(user: string): Promise<Record<string, number>>;
}

/**
 * The chat's state, apart from the connections themselves, which stay on the server that holds
 * them: who is online, each conversation's messages and unread counts, and the way a frame reaches
 * a user's connections: those on this server (stateful), or on any server (stateless).
 */
export interface ChatState {
  /** Where `deliver` reaches, as the sender is told when it reached nobody: "stateful-1", "any server". */
  readonly reach: string;
  /** This server holds one more connection of `user`; resolves with whether it is their first anywhere it knows. */
  join(user: string): Promise<boolean>;
  /** This server closed one of `user`'s connections; resolves with whether it was their last. */
  leave(user: string): Promise<boolean>;
  /** The users with a connection that `deliver` can reach. */
  online(): Promise<string[]>;
  /**
   * Appends to the conversation with the next id, counts it unread for its recipient (`unread`:
   * how many of the sender's messages they have not read, this one included), and ends the
   * sender's typing to them. A draft whose `ref` its sender already used (a resend) appends
   * nothing: it resolves with the message that ref named, `repeated`.
   */
  append(draft: ChatDraft): Promise<{ message: ChatMessage; repeated: boolean; unread: number }>;
  /** The conversation of `user` and `other` after the id `after`, oldest first, at most `limit`. */
  history(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]>;
  /**
   * `user` has read `other`'s messages up to the id `upTo` (at most the conversation's last: a
   * message written later is unread); resolves with how many remain unread.
   */
  markRead(user: string, other: string, upTo: number): Promise<number>;
  /** Unread messages per sender (senders with none left out). */
  unread(user: string): Promise<Record<string, number>>;
  /** `from` is typing to `to`: for the next TYPING_MS, unless they type again or send. */
  startTyping(from: string, to: string): Promise<void>;
  /** Who is typing to `user` now. */
  typingTo(user: string): Promise<string[]>;
  /**
   * Sends frames, in order, to every connection of `user` it can reach (one trip however many);
   * resolves with whether there was one.
   */
  deliver(user: string, ...frames: ServerFrame[]): Promise<boolean>;
  /** Closes the connections of a session that has ended (logout), wherever `deliver` reaches. */
  endSession(sessionId: string): Promise<void>;
}
