// Model-based testing of the HTTP contract: fast-check generates random sequences of operations
// (model-steps.ts: log in and out, add, set, remove, check out, list orders, view the wallet, upload,
// view and delete avatars; valid and invalid
// arguments; two browsers, two users and an unknown one), runs each against the app and against
// the reference model, and compares every status and body. A failure is shrunk to the shortest
// sequence that still fails, printed one operation per line.
import fc from "fast-check";
import type { Express } from "express";
import request from "supertest";
import {
  add,
  checkout,
  deleteAvatar,
  PICTURES,
  uploadAvatar,
  viewAvatar,
  listOrders,
  viewOrder,
  login,
  viewWallet,
  logout,
  remove,
  setQuantity,
  viewCart,
  whoAmI,
  type Method,
  type Step,
} from "./model-steps";
import { ShopModel, SKUS, type Username } from "./reference-model";

export interface ModelHarness {
  readonly name: "stateful" | "stateless";
  /** Whether login also returns a bearer token. */
  readonly issuesTokens: boolean;
  /**
   * Instances with fresh state (no sessions, carts or orders; every wallet at its starting credit),
   * sharing their stores; requests are spread over them.
   */
  fresh(): Promise<Express[]>;
}

const BROWSERS = 2;
/** Runs per app in `pnpm test`; MODEL_RUNS=1000 for a long hunt. */
const RUNS = Number(process.env.MODEL_RUNS ?? 20);

/** Browsers, each holding the cookies it was given, talking to one instance or another. */
class RealShop {
  private readonly cookies: (string | undefined)[] = Array.from({ length: BROWSERS }, () => undefined);

  constructor(readonly apps: Express[]) {}

  async send(browser: number, instance: number, method: Method, path: string, body?: object) {
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

class ShopOperation implements Operation {
  constructor(
    private readonly browser: number,
    private readonly instance: number,
    private readonly step: Step,
  ) {}

  check = () => true;

  async run(model: ShopModel, real: RealShop): Promise<void> {
    const { method, body } = this.step;
    const browser = model.browsers[this.browser]!;
    const path = typeof this.step.path === "string" ? this.step.path : this.step.path(model, browser);
    const actual = await real.send(this.browser, this.instance, method, path, body);
    expect(actual).toEqual(this.step.expect(model, browser, actual));
  }

  toString(): string {
    return `browser ${this.browser + 1} → instance ${(this.instance % 2) + 1}: ${this.step.words}`;
  }
}

function operation(tokens: boolean): fc.Arbitrary<Operation> {
  // Unbiased: fast-check favours the first constants otherwise, and the coke would rarely be bought.
  const browser = fc.noBias(fc.integer({ min: 0, max: BROWSERS - 1 }));
  const instance = fc.noBias(fc.integer({ min: 0, max: 1 }));
  const sku = fc.noBias(fc.constantFrom(...SKUS, "pineapple-pizza"));
  // Mostly a few at a time, so that many checkouts fit the $100 of store credit and some do not.
  const addQuantity = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: 4, max: 60 }) },
    fc.constantFrom(0, 100, 1.5, -1),
  );
  const setQuantityArb = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 99 }) },
    fc.constantFrom(100, 2.5, -3),
  );
  const user = fc.noBias(fc.constantFrom<Username | "mallory">("alice", "bob", "mallory"));
  const picture = fc.noBias(fc.constantFrom(...(Object.keys(PICTURES) as (keyof typeof PICTURES)[])));
  const rightPassword = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false));
  // Weighted like a shopping session: mostly adding, now and then everything else.
  const at = (step: fc.Arbitrary<Step>) =>
    fc.tuple(browser, instance, step).map(([b, i, chosen]) => new ShopOperation(b, i, chosen));
  return fc.oneof(
    { weight: 4, arbitrary: at(fc.tuple(user, rightPassword).map(([u, right]) => login(u, right, tokens))) },
    { weight: 1, arbitrary: at(fc.constant(null).map(logout)) },
    { weight: 1, arbitrary: at(fc.constant(null).map(whoAmI)) },
    { weight: 2, arbitrary: at(fc.constant(null).map(viewCart)) },
    { weight: 6, arbitrary: at(fc.tuple(sku, addQuantity).map(([s, q]) => add(s, q))) },
    { weight: 2, arbitrary: at(fc.tuple(sku, setQuantityArb).map(([s, q]) => setQuantity(s, q))) },
    { weight: 1, arbitrary: at(sku.map(remove)) },
    { weight: 2, arbitrary: at(fc.constant(null).map(checkout)) },
    { weight: 1, arbitrary: at(fc.constant(null).map(listOrders)) },
    { weight: 3, arbitrary: at(fc.constantFrom<"own" | "other">("own", "other").map(viewOrder)) },
    { weight: 1, arbitrary: at(fc.constant(null).map(viewWallet)) },
    { weight: 1, arbitrary: at(picture.map(uploadAvatar)) },
    { weight: 1, arbitrary: at(user.map(viewAvatar)) },
    { weight: 1, arbitrary: at(fc.constant(null).map(deleteAvatar)) },
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
