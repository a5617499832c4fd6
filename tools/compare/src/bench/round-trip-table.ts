// The stateless app's store round trips, route by route: the table docs/costs.md shows (pnpm
// docs:render), which a test holds true against a real server (tools/compare/test/round-trips.test.ts,
// counting with round-trips.ts). At a store's distance each round trip made one after another is
// paid once: these are the counts to keep down. The stateful app makes none: its state is in its
// own memory and on its own disk.

export interface RouteCall {
  /** How the table names it. */
  readonly route: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** `:id` is the counting user, `:orderId` the order its last checkout placed. */
  readonly path: string;
  /** JSON, or the user's password, or a fresh PNG. */
  readonly body?: object | "password" | "avatar";
  readonly status: number;
  /** Requests sent first, not counted (what the cart must hold for a checkout). */
  readonly before?: readonly Omit<RouteCall, "route" | "stateless" | "before">[];
  /** The stateless app's operations per store, and the round trips made one after another. */
  readonly stateless: { readonly stores: Stores; readonly inSequence: number };
}

type Stores = Readonly<Record<string, number>>;

/** A request and what the stateless app makes for it: operations per store, `inSequence` of them one after another. */
const call = (
  route: string,
  request: Omit<RouteCall, "route" | "stateless">,
  stores: Stores,
  inSequence: number,
): RouteCall => ({ route, ...request, stateless: { stores, inSequence } });
const read = (path: string) => ({ method: "GET", path, status: 200 }) as const;
const addOne = (sku: string) =>
  ({ method: "POST", path: "/cart/items", body: { sku, quantity: 1 }, status: 200 }) as const;
const checkout = (sku: string) => ({ method: "POST", path: "/checkout", status: 201, before: [addOne(sku)] }) as const;

export const ROUTE_CALLS: readonly RouteCall[] = [
  call("log in", { method: "POST", path: "/auth/login", body: "password", status: 200 }, { redis: 3 }, 3),
  call("who am I", read("/me"), { redis: 1 }, 1),
  call("read the cart", read("/cart"), { redis: 2 }, 2),
  call("add to the cart", addOne("coke"), { redis: 2 }, 2),
  call(
    "change a quantity",
    { method: "PATCH", path: "/cart/items/coke", body: { quantity: 2 }, status: 200 },
    { redis: 2 },
    2,
  ),
  call("remove a line", { method: "DELETE", path: "/cart/items/coke", status: 200 }, { redis: 2 }, 2),
  call("check out a Coke", checkout("coke"), { redis: 3, postgres: 1 }, 4),
  call("check out a pizza (and its kitchen job)", checkout("margherita-pizza"), { redis: 3, postgres: 1 }, 4),
  call("list the orders", read("/orders"), { redis: 1, postgres: 1 }, 2),
  call("one order", read("/orders/:orderId"), { redis: 1, postgres: 1 }, 2),
  call("store credit", read("/wallet"), { redis: 1, postgres: 1 }, 2),
  call("upload an avatar", { method: "PUT", path: "/me/avatar", body: "avatar", status: 200 }, { redis: 1, s3: 1 }, 2),
  call("an avatar", read("/users/:id/avatar"), { s3: 1 }, 1),
  call("remove the avatar", { method: "DELETE", path: "/me/avatar", status: 204 }, { redis: 1, s3: 1 }, 2),
  call("who is online", read("/chat/online"), { redis: 2 }, 2),
  call("unread messages", read("/chat/unread"), { redis: 1, postgres: 1 }, 2),
  call("who is typing", read("/chat/typing"), { redis: 2 }, 2),
  call("a conversation", read("/chat/history?with=alice"), { redis: 1, postgres: 1 }, 2),
  call("log out", { method: "POST", path: "/auth/logout", status: 204 }, { redis: 4 }, 2),
];
