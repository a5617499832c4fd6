// Model-based testing of the HTTP contract: fast-check generates random sequences of operations
// (log in and out, add, set, remove, check out, list orders; valid and invalid arguments; two
// browsers, two users and an unknown one), runs each against the app and against the reference model, and compares
// every status and body. A failure is shrunk to the shortest sequence that still fails, printed
// one operation per line.
import fc from "fast-check";
import type { Express } from "express";
import request from "supertest";
import {
  error,
  isKnownSku,
  isValidQuantity,
  NOT_LOGGED_IN,
  ShopModel,
  SKUS,
  USERS,
  view,
  type Answer,
  type ModelBrowser,
  type Username,
} from "./reference-model";

export interface ModelHarness {
  readonly name: "stateful" | "stateless";
  /** Whether login also returns a bearer token. */
  readonly issuesTokens: boolean;
  /** Instances with empty state (no sessions, carts or orders), sharing their store; requests are spread over them. */
  fresh(): Promise<Express[]>;
}

const BROWSERS = 2;
/** Runs per app in `pnpm test`; MODEL_RUNS=1000 for a long hunt. */
const RUNS = Number(process.env.MODEL_RUNS ?? 20);

/** Browsers, each holding the cookies it was given, talking to one instance or another. */
class RealShop {
  private readonly cookies: (string | undefined)[] = Array.from({ length: BROWSERS }, () => undefined);

  constructor(readonly apps: Express[]) {}

  async send(
    browser: number,
    instance: number,
    method: "get" | "post" | "patch" | "delete",
    path: string,
    body?: object,
  ) {
    const app = this.apps[instance % this.apps.length]!;
    let call = request(app)[method](path);
    const cookie = this.cookies[browser];
    if (cookie) call = call.set("Cookie", cookie);
    const response = body === undefined ? await call : await call.send(body);
    const set = response.headers["set-cookie"] as unknown as string[] | undefined;
    if (response.status === 200 && path === "/auth/login" && set) {
      this.cookies[browser] = set.map((header) => header.split(";")[0]).join("; ");
    }
    // A browser drops the cookie a logout expires.
    if (response.status === 204 && path === "/auth/logout") this.cookies[browser] = undefined;
    return { status: response.status, body: response.status === 204 ? undefined : response.body };
  }
}

type Operation = fc.AsyncCommand<ShopModel, RealShop>;

/** One operation: what it sends, what the model expects, and how the model changes after it. */
abstract class ShopOperation implements Operation {
  constructor(
    protected readonly browser: number,
    protected readonly instance: number,
  ) {}

  check = () => true;

  async run(model: ShopModel, real: RealShop): Promise<void> {
    const actual = await this.send(real);
    const expected = this.expect(model, model.browsers[this.browser]!);
    expect(actual).toEqual(expected);
  }

  protected abstract send(real: RealShop): Promise<Answer>;
  /** The answer the model predicts; may update the model to its state after the operation. */
  protected abstract expect(model: ShopModel, browser: ModelBrowser): Answer;
  abstract describe(): string;

  toString(): string {
    return `browser ${this.browser + 1} → instance ${(this.instance % 2) + 1}: ${this.describe()}`;
  }
}

class Login extends ShopOperation {
  constructor(
    browser: number,
    instance: number,
    private readonly username: Username | "mallory",
    private readonly rightPassword: boolean,
    private readonly tokens: boolean,
  ) {
    super(browser, instance);
  }
  describe() {
    return `log in as ${this.username} with the ${this.rightPassword ? "right" : "wrong"} password`;
  }
  send(real: RealShop) {
    const password = this.username !== "mallory" && this.rightPassword ? USERS[this.username].password : "wrong";
    return real.send(this.browser, this.instance, "post", "/auth/login", { username: this.username, password });
  }
  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    if (this.username === "mallory" || !this.rightPassword) return error(401, "BAD_CREDENTIALS");
    // A new session: the cart of the old one is not this browser's any more.
    browser.user = this.username;
    browser.cart = new Map();
    const { id, name } = USERS[this.username];
    return {
      status: 200,
      body: this.tokens ? { user: { id, name }, token: expect.any(String) } : { user: { id, name } },
    };
  }
}

class Logout extends ShopOperation {
  describe() {
    return "log out";
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "post", "/auth/logout");
  }
  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    if (!browser.user) return NOT_LOGGED_IN;
    browser.user = null;
    browser.cart = new Map();
    return { status: 204, body: undefined };
  }
}

class WhoAmI extends ShopOperation {
  describe() {
    return "GET /me";
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "get", "/me");
  }
  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    if (!browser.user) return NOT_LOGGED_IN;
    const { id, name } = USERS[browser.user];
    return { status: 200, body: { user: { id, name } } };
  }
}

class ViewCart extends ShopOperation {
  describe() {
    return "GET /cart";
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "get", "/cart");
  }
  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    return browser.user ? { status: 200, body: view(browser.cart) } : NOT_LOGGED_IN;
  }
}

class Add extends ShopOperation {
  constructor(
    browser: number,
    instance: number,
    private readonly sku: string,
    private readonly quantity: number,
  ) {
    super(browser, instance);
  }
  describe() {
    return `add ${this.quantity} × ${this.sku}`;
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "post", "/cart/items", { sku: this.sku, quantity: this.quantity });
  }
  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    if (!browser.user) return NOT_LOGGED_IN;
    if (!isKnownSku(this.sku)) return error(400, "UNKNOWN_SKU");
    if (!isValidQuantity(this.quantity, 1)) return error(400, "INVALID_QUANTITY");
    const wanted = (browser.cart.get(this.sku) ?? 0) + this.quantity;
    if (wanted > 99) return error(409, "QUANTITY_LIMIT");
    browser.cart.set(this.sku, wanted);
    return { status: 200, body: view(browser.cart) };
  }
}

class SetQuantity extends ShopOperation {
  constructor(
    browser: number,
    instance: number,
    private readonly sku: string,
    private readonly quantity: number,
  ) {
    super(browser, instance);
  }
  describe() {
    return `set ${this.sku} to ${this.quantity}`;
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "patch", `/cart/items/${this.sku}`, { quantity: this.quantity });
  }
  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    if (!browser.user) return NOT_LOGGED_IN;
    if (!isValidQuantity(this.quantity, 0)) return error(400, "INVALID_QUANTITY");
    if (!browser.cart.has(this.sku)) return error(404, "NOT_IN_CART");
    if (this.quantity === 0) browser.cart.delete(this.sku);
    else browser.cart.set(this.sku, this.quantity);
    return { status: 200, body: view(browser.cart) };
  }
}

class Remove extends ShopOperation {
  constructor(
    browser: number,
    instance: number,
    private readonly sku: string,
  ) {
    super(browser, instance);
  }
  describe() {
    return `remove ${this.sku}`;
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "delete", `/cart/items/${this.sku}`);
  }
  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    if (!browser.user) return NOT_LOGGED_IN;
    if (!browser.cart.has(this.sku)) return error(404, "NOT_IN_CART");
    browser.cart.delete(this.sku);
    return { status: 200, body: view(browser.cart) };
  }
}

class Checkout extends ShopOperation {
  describe() {
    return "check out";
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "post", "/checkout");
  }

  // The order's id comes from the app: the model learns it here, and expects it in GET /orders.
  override async run(model: ShopModel, real: RealShop): Promise<void> {
    const actual = await this.send(real);
    const browser = model.browsers[this.browser]!;
    expect(actual).toEqual(this.expect(model, browser));
    if (actual.status === 201) {
      const { id } = (actual.body as { order: { id: string } }).order;
      model.orders[browser.user!].push({ id, ...view(browser.cart) });
      browser.cart = new Map();
    }
  }

  expect(_model: ShopModel, browser: ModelBrowser): Answer {
    if (!browser.user) return NOT_LOGGED_IN;
    if (browser.cart.size === 0) return error(409, "EMPTY_CART");
    const order = { id: expect.any(String), ...view(browser.cart), createdAt: expect.any(String) };
    return { status: 201, body: { order } };
  }
}

class ListOrders extends ShopOperation {
  describe() {
    return "GET /orders";
  }
  send(real: RealShop) {
    return real.send(this.browser, this.instance, "get", "/orders");
  }
  expect(model: ShopModel, browser: ModelBrowser): Answer {
    if (!browser.user) return NOT_LOGGED_IN;
    const orders = model.orders[browser.user].map((order) => ({ ...order, createdAt: expect.any(String) }));
    return { status: 200, body: { orders } };
  }
}

function operation(tokens: boolean): fc.Arbitrary<Operation> {
  // Unbiased: fast-check favours the first constants otherwise, and the coke would rarely be bought.
  const browser = fc.noBias(fc.integer({ min: 0, max: BROWSERS - 1 }));
  const instance = fc.noBias(fc.integer({ min: 0, max: 1 }));
  const sku = fc.noBias(fc.constantFrom(...SKUS, "pineapple-pizza"));
  const addQuantity = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 60 }) },
    fc.constantFrom(0, 100, 1.5, -1),
  );
  const setQuantity = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 99 }) },
    fc.constantFrom(100, 2.5, -3),
  );
  const user = fc.noBias(fc.constantFrom<Username | "mallory">("alice", "bob", "mallory"));
  const rightPassword = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false));
  // Weighted like a shopping session: mostly adding, now and then everything else.
  const weighted = (weight: number, arbitrary: fc.Arbitrary<Operation>) => ({ weight, arbitrary });
  return fc.oneof(
    weighted(
      4,
      fc.tuple(browser, instance, user, rightPassword).map(([b, i, u, right]) => new Login(b, i, u, right, tokens)),
    ),
    weighted(
      1,
      fc.tuple(browser, instance).map(([b, i]) => new Logout(b, i)),
    ),
    weighted(
      1,
      fc.tuple(browser, instance).map(([b, i]) => new WhoAmI(b, i)),
    ),
    weighted(
      2,
      fc.tuple(browser, instance).map(([b, i]) => new ViewCart(b, i)),
    ),
    weighted(
      6,
      fc.tuple(browser, instance, sku, addQuantity).map(([b, i, s, q]) => new Add(b, i, s, q)),
    ),
    weighted(
      2,
      fc.tuple(browser, instance, sku, setQuantity).map(([b, i, s, q]) => new SetQuantity(b, i, s, q)),
    ),
    weighted(
      1,
      fc.tuple(browser, instance, sku).map(([b, i, s]) => new Remove(b, i, s)),
    ),
    weighted(
      2,
      fc.tuple(browser, instance).map(([b, i]) => new Checkout(b, i)),
    ),
    weighted(
      1,
      fc.tuple(browser, instance).map(([b, i]) => new ListOrders(b, i)),
    ),
  );
}

export function describeModelBasedContract(harness: ModelHarness): void {
  describe(`the ${harness.name} app against the reference model`, () => {
    it(`agrees with it on every answer of ${RUNS} random sequences of operations`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands([operation(harness.issuesTokens)], { maxCommands: 40, size: "large" }),
          async (commands) => {
            const apps = await harness.fresh();
            await fc.asyncModelRun(() => ({ model: new ShopModel(BROWSERS), real: new RealShop(apps) }), commands);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}
