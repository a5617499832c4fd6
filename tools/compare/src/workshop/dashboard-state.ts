// What the workshop's page is told, over Server-Sent Events: the state of both sides (sent whole
// whenever it changes) and the request log (one entry at a time). The page imports this file, so
// it imports nothing but the vocabulary: no Node.js types may reach the browser build.
import type { Architecture, Outcome, RoutingPolicy } from "../vocabulary";

export interface InstanceView {
  readonly id: string;
  /** `up`: its process runs and /healthz answers; `down`: killed (or not answering). */
  readonly up: boolean;
  /** Sessions it holds in its own memory (/healthz), null while it does not answer. */
  readonly sessionsInMemory: number | null;
  /** Requests it served to the dashboard's shoppers and replays (from X-Served-By). */
  readonly served: number;
  /** What its kitchen holds (/healthz): orders waiting in its memory, and being cooked; null while it does not answer. */
  readonly kitchen: { readonly waiting: number; readonly cooking: number } | null;
}

export interface CartLineView {
  readonly name: string;
  readonly quantity: number;
  readonly lineTotalCents: number;
}

export interface AnswerView {
  readonly request: string;
  readonly instance: string;
  readonly status: number;
  readonly code?: string;
  /** The answer in plain words: why a request failed, or what it did. */
  readonly text: string;
}

export interface ShopperView {
  readonly name: string;
  readonly loggedIn: boolean;
  /** The cart as the shopper last saw it; null before the first look. */
  readonly cart: { readonly lines: CartLineView[]; readonly totalCents: number } | null;
  /** The last answer the shopper got. */
  readonly lastAnswer: AnswerView | null;
}

/** What one server says Alice's store credit is, when asked directly ("Ask every server"). */
export interface WalletAnswerView {
  readonly server: string;
  /** The balance it gave, or null when it could not be asked (its answer is then in `text`). */
  readonly cents: number | null;
  readonly text: string;
}

/** What one server serves as Alice's avatar, when asked directly ("Upload Alice's avatar"). */
export interface AvatarAnswerView {
  readonly server: string;
  /** The picture as a data: URL, or null when the server had none (its answer is then in `text`). */
  readonly picture: string | null;
  /** "the picture she uploaded", "an older picture", or the error: "404 NO_AVATAR". */
  readonly text: string;
  /** Whether it is the picture Alice uploaded last. */
  readonly current: boolean;
}

export interface StoreView {
  /** Keys in the shared Redis; null while it does not answer (frozen). */
  readonly keys: number | null;
  /** Of them, the session records (connect-redis's `sess:*`); null while it does not answer. */
  readonly sessions: number | null;
  readonly frozen: boolean;
  /** The round trip added between the stateless servers and each store (a delay proxy's), in ms: 0 on loopback. */
  readonly distanceMs: number;
}

/** The distances the dashboard's control steps through, in turn (ms): loopback, a datacenter, across zones. */
export const STORE_DISTANCES_MS = [0, 0.5, 1, 2] as const;

export interface ChatMessageView {
  readonly id: number;
  readonly from: string;
  readonly text: string;
  /** The server that took the message. */
  readonly servedBy: string;
}

/** One user's chat window, as their browser sees it. */
export interface ChatterView {
  /** The server holding their socket now (from the upgrade's X-Served-By). */
  readonly server: string;
  readonly connected: boolean;
  /** How many times the socket was opened again after its server closed it. */
  readonly reconnects: number;
  /** Why it could not reconnect (its session was gone), or null. */
  readonly refused: string | null;
  /** Who this socket has been told is online. */
  readonly online: string[];
  /** Who is typing to them now. */
  readonly typing: string[];
  readonly unread: Record<string, number>;
  /** The last error frame's message, or null. */
  readonly lastError: string | null;
  /** The last messages of the conversation they have seen (live or from history), oldest first. */
  readonly messages: ChatMessageView[];
}

export interface ChatView {
  readonly alice: ChatterView;
  readonly bob: ChatterView;
}

/** One of Dave's orders as GET /orders last showed it; `gone` once the server that answers no longer knows it. */
export interface KitchenOrderView {
  readonly id: string;
  readonly status: "placed" | "preparing" | "ready" | "gone";
  /** The server whose worker is cooking it (preparing) or cooked it (ready). */
  readonly preparedBy: string | null;
  /** Workers that started on it: 2 or more when its job was delivered again. */
  readonly attempts: number;
}

/** Dave's orders, placed from the dashboard, and where the side's kitchen keeps its queue. */
export interface KitchenView {
  /** Where the queue lives, as the servers say (/healthz): "this server's memory", "PostgreSQL (pg-boss)". */
  readonly queue: string | null;
  readonly orders: KitchenOrderView[];
  /** The server that answered Dave's last GET /orders. */
  readonly answeredBy: string | null;
  /** Why Dave cannot see his orders now (his session went with his server), or null. */
  readonly answer: string | null;
}

export interface PlayResultView {
  readonly journey: string;
  readonly outcome: Outcome | "skipped";
  readonly expected: Outcome;
  readonly failure: string | null;
}

export interface SideView {
  readonly app: Architecture;
  readonly balancer: { readonly kind: string; readonly policy: RoutingPolicy };
  readonly instances: InstanceView[];
  /** Where this side keeps its users' state outside the servers: Redis, or nothing (null). */
  readonly store: StoreView | null;
  readonly shopper: ShopperView;
  /** Alice's store credit as each running server said it, the last time they were asked; null before. */
  readonly wallets: WalletAnswerView[] | null;
  /** Alice's avatar as each running server served it, after her last upload; null before. */
  readonly avatars: AvatarAnswerView[] | null;
  /** Alice's and Bob's chat windows, once the chat buttons have connected them; null before. */
  readonly chat: ChatView | null;
  /** Dave's orders in the kitchen, once he has ordered; null before. */
  readonly kitchen: KitchenView | null;
  /** The last replayed journey's verdict on this side. */
  readonly lastPlay: PlayResultView | null;
}

export interface JourneyView {
  readonly name: string;
  readonly story: string;
  readonly expected: Record<Architecture, Outcome>;
}

export interface DashboardState {
  readonly sides: SideView[];
  /** What is running now (buttons wait for it), or null. */
  readonly busy: string | null;
  readonly journeys: JourneyView[];
}

export type LogTone = "ok" | "error" | "fault" | "info";

/** A request as the page draws it travelling: the server that answered, its status, the stores it used and how long. */
export interface RequestTrace {
  /** The server's id, or "balancer" when the balancer answered itself (no server up). */
  readonly instance: string;
  readonly status: number;
  /** From its Server-Timing header: "memory", "disk", "redis", "postgres", "s3", with the time spent in each (ms). */
  readonly stores: readonly { readonly store: string; readonly ms: number }[];
}

export interface LogEntry {
  readonly id: number;
  /** The side the entry belongs to, or both. */
  readonly side: Architecture | "both";
  /** HH:MM:SS */
  readonly at: string;
  readonly text: string;
  readonly tone: LogTone;
  /** When the entry tells a request: where it went, for the page to draw it. */
  readonly request?: RequestTrace;
  /** Sent again to a page that connected after it happened: told, not drawn travelling. */
  readonly backlog?: boolean;
}

/** Every button of the page, by the name it posts to /api/actions/<name>. */
export const SHOPPER_ACTIONS = [
  "login",
  "add-pepperoni-pizza",
  "add-mushrooms",
  "add-coke",
  "view-cart",
  "checkout",
  "ask-wallets",
  "upload-avatar",
] as const;
export const FAULT_ACTIONS = [
  "kill",
  "revive",
  "rolling-restart",
  "add-instance",
  "stickiness",
  "redis",
  "distance",
] as const;
export const CHAT_ACTIONS = ["chat-connect", "chat-write", "chat-type", "kill-bobs-server"] as const;
export const KITCHEN_ACTIONS = ["kitchen-order", "kill-busy-kitchen"] as const;
/**
 * What one press of "Dave orders" orders on each side: KITCHEN_MEALS meals of KITCHEN_PIZZAS
 * pizzas, a checkout each. At the apps' 500 ms a pizza, a meal cooks for 3 s: the stateless
 * side's six workers (three servers, two each) need about 5 s for all ten, long enough for the
 * room to see them cooking and for a kill to find a server with one in hand. (Meals of two
 * pizzas were all cooked a second or two after Dave's last checkout, before anyone could press X.)
 */
export const KITCHEN_MEALS = 10;
export const KITCHEN_PIZZAS = 6;
export type ShopperAction = (typeof SHOPPER_ACTIONS)[number];
export type ChatAction = (typeof CHAT_ACTIONS)[number];
export type KitchenAction = (typeof KITCHEN_ACTIONS)[number];
export type FaultAction = (typeof FAULT_ACTIONS)[number];
