// Each operation of the model-based test: what a browser sends, and what the reference model
// predicts it gets back (updating the model to its state after the operation).
import {
  balanceOf,
  error,
  isKnownSku,
  isValidQuantity,
  kitchenStatusSeen,
  NOT_LOGGED_IN,
  orderAt,
  USERS,
  view,
  type Answer,
  type ModelBrowser,
  type ShopModel,
  type Username,
} from "./reference-model";
import { PNG, SVG, WEBP } from "./sample-images";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** One operation: in words, as a request, and as the model predicts its answer. */
export interface Step {
  readonly words: string;
  readonly method: Method;
  /** The path, or how to make it from the model as it is when the step runs (an order's id, say). */
  readonly path: string | ((model: ShopModel, browser: ModelBrowser) => string);
  /** JSON, or raw bytes (an upload). */
  readonly body?: object;
  /** The answer the model predicts; updates the model to its state after the operation. */
  expect(model: ShopModel, browser: ModelBrowser, actual: Answer): Answer;
}

const loggedIn =
  (answer: (model: ShopModel, browser: ModelBrowser & { user: Username }, actual: Answer) => Answer) =>
  (model: ShopModel, browser: ModelBrowser, actual: Answer): Answer =>
    browser.user ? answer(model, browser as ModelBrowser & { user: Username }, actual) : NOT_LOGGED_IN;

const cartView = (browser: ModelBrowser): Answer => ({ status: 200, body: view(browser.cart) });

export const login = (username: Username | "mallory", right: boolean, tokens: boolean): Step => ({
  words: `log in as ${username} with the ${right ? "right" : "wrong"} password`,
  method: "post",
  path: "/auth/login",
  body: { username, password: username !== "mallory" && right ? USERS[username].password : "wrong" },
  expect(_model, browser) {
    if (username === "mallory" || !right) return error(401, "BAD_CREDENTIALS");
    // A new session: the cart of the old one is not this browser's any more.
    browser.user = username;
    browser.cart = new Map();
    const user = { id: USERS[username].id, name: USERS[username].name };
    return { status: 200, body: tokens ? { user, token: expect.any(String) } : { user } };
  },
});

export const logout = (): Step => ({
  words: "log out",
  method: "post",
  path: "/auth/logout",
  expect: loggedIn((_model, browser) => {
    browser.cart = new Map();
    (browser as ModelBrowser).user = null;
    return { status: 204, body: undefined };
  }),
});

export const whoAmI = (): Step => ({
  words: "GET /me",
  method: "get",
  path: "/me",
  expect: loggedIn((_model, { user }) => ({
    status: 200,
    body: { user: { id: USERS[user].id, name: USERS[user].name } },
  })),
});

export const viewCart = (): Step => ({
  words: "GET /cart",
  method: "get",
  path: "/cart",
  expect: loggedIn((_m, b) => cartView(b)),
});

export const add = (sku: string, quantity: number): Step => ({
  words: `add ${quantity} × ${sku}`,
  method: "post",
  path: "/cart/items",
  body: { sku, quantity },
  expect: loggedIn((_model, browser) => {
    if (!isKnownSku(sku)) return error(400, "UNKNOWN_SKU");
    if (!isValidQuantity(quantity, 1)) return error(400, "INVALID_QUANTITY");
    const wanted = (browser.cart.get(sku) ?? 0) + quantity;
    if (wanted > 99) return error(409, "QUANTITY_LIMIT");
    browser.cart.set(sku, wanted);
    return cartView(browser);
  }),
});

export const setQuantity = (sku: string, quantity: number): Step => ({
  words: `set ${sku} to ${quantity}`,
  method: "patch",
  path: `/cart/items/${sku}`,
  body: { quantity },
  expect: loggedIn((_model, browser) => {
    if (!isValidQuantity(quantity, 0)) return error(400, "INVALID_QUANTITY");
    if (!browser.cart.has(sku)) return error(404, "NOT_IN_CART");
    if (quantity === 0) browser.cart.delete(sku);
    else browser.cart.set(sku, quantity);
    return cartView(browser);
  }),
});

export const remove = (sku: string): Step => ({
  words: `remove ${sku}`,
  method: "delete",
  path: `/cart/items/${sku}`,
  expect: loggedIn((_model, browser) => {
    if (!browser.cart.delete(sku)) return error(404, "NOT_IN_CART");
    return cartView(browser);
  }),
});

export const checkout = (): Step => ({
  words: "check out",
  method: "post",
  path: "/checkout",
  expect: loggedIn((model, browser, actual) => {
    if (browser.cart.size === 0) return error(409, "EMPTY_CART");
    const priced = view(browser.cart);
    const balance = balanceOf(model, browser.user);
    // Not enough credit: nothing charged, and the cart is kept as it was.
    if (priced.totalCents > balance) return error(409, "INSUFFICIENT_CREDIT");
    // The order's id comes from the app: the model learns it here, and expects it in GET /orders.
    const id = String((actual.body as { order?: { id?: unknown } } | undefined)?.order?.id);
    model.orders[browser.user].push({ id, ...priced });
    model.ledgers[browser.user].push({
      amountCents: -priced.totalCents,
      balanceCents: balance - priced.totalCents,
      description: `Order ${id}`,
      orderId: id,
    });
    model.kitchen.set(id, 0);
    const order = orderAt({ id: expect.any(String), ...priced }, "placed");
    browser.cart = new Map();
    return { status: 201, body: { order } };
  }),
});

/** An id no order has. */
const NO_SUCH_ORDER = "00000000-0000-4000-8000-000000000000";

/** GET /orders/:id: the latest order of the browser's user (`whose` "own") or of the other demo user. */
export const viewOrder = (whose: "own" | "other"): Step => {
  const userOf = (browser: ModelBrowser): Username | null =>
    whose === "own" ? browser.user : browser.user === "alice" ? "bob" : "alice";
  const orderOf = (model: ShopModel, browser: ModelBrowser) => {
    const user = userOf(browser);
    return user ? model.orders[user].at(-1) : undefined;
  };
  return {
    words: `GET /orders/:id of ${whose === "own" ? "their own" : "the other user's"} latest order`,
    method: "get",
    path: (model, browser) => `/orders/${orderOf(model, browser)?.id ?? NO_SUCH_ORDER}`,
    expect: loggedIn((model, browser, actual) => {
      const order = orderOf(model, browser);
      // Another user's order is no order of this one's, exactly like one that does not exist.
      if (!order || whose !== "own") return error(404, "NO_ORDER");
      const seen = (actual.body as { order?: { status?: unknown } } | undefined)?.order?.status;
      const status = kitchenStatusSeen(model, order.id, seen);
      return { status: 200, body: { order: orderAt(order, status) } };
    }),
  };
};

export const listOrders = (): Step => ({
  words: "GET /orders",
  method: "get",
  path: "/orders",
  expect: loggedIn((model, { user }, actual) => {
    const listed = (actual.body as { orders?: { id?: unknown; status?: unknown }[] } | undefined)?.orders ?? [];
    const orders = model.orders[user].map((order) => {
      // The kitchen works while the browsers do: each order may have moved on since it was last
      // seen, never back.
      const seen = listed.find((candidate) => candidate.id === order.id)?.status;
      return orderAt(order, kitchenStatusSeen(model, order.id, seen));
    });
    return { status: 200, body: { orders } };
  }),
});

export const viewWallet = (): Step => ({
  words: "GET /wallet",
  method: "get",
  path: "/wallet",
  expect: loggedIn((model, { user }) => ({
    status: 200,
    body: {
      balanceCents: balanceOf(model, user),
      ledger: model.ledgers[user].map((line) => ({ ...line, createdAt: expect.any(String) })),
    },
  })),
});

/** The files the model uploads: the kinds an avatar may be, and one it may not. */
export const PICTURES = {
  png: { bytes: PNG, contentType: "image/png" },
  webp: { bytes: WEBP, contentType: "image/webp" },
  svg: { bytes: SVG, contentType: undefined },
} as const;

export const uploadAvatar = (picture: keyof typeof PICTURES): Step => ({
  words: `upload a ${picture} as the avatar`,
  method: "put",
  path: "/me/avatar",
  body: PICTURES[picture].bytes,
  expect: loggedIn((model, { user }) => {
    const { bytes, contentType } = PICTURES[picture];
    if (!contentType) return error(415, "UNSUPPORTED_IMAGE");
    model.avatars[user] = { bytes, contentType };
    return { status: 200, body: { avatar: { url: `/users/${user}/avatar`, contentType, bytes: bytes.length } } };
  }),
});

export const viewAvatar = (of: Username | "mallory"): Step => ({
  words: `GET ${of}'s avatar`,
  method: "get",
  path: `/users/${of}/avatar`,
  expect(model) {
    if (of === "mallory") return error(404, "UNKNOWN_USER");
    const avatar = model.avatars[of];
    return avatar ? { status: 200, body: avatar.bytes } : error(404, "NO_AVATAR");
  },
});

export const deleteAvatar = (): Step => ({
  words: "delete the avatar",
  method: "delete",
  path: "/me/avatar",
  expect: loggedIn((model, { user }) => {
    model.avatars[user] = undefined;
    return { status: 204, body: undefined };
  }),
});
