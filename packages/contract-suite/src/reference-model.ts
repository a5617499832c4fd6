// A small, independent reference model of the shop, as a client sees it over HTTP: who each
// browser is logged in as, what its cart holds, and each user's orders, store credit and avatar. It shares no code with
// the apps, so the apps and the model can only agree if both follow the contract.

export const SKUS = ["pepperoni-pizza", "margherita-pizza", "mushrooms", "coke"] as const;
const PRODUCTS: Record<string, { name: string; priceCents: number }> = {
  "pepperoni-pizza": { name: "Large pepperoni pizza", priceCents: 1499 },
  "margherita-pizza": { name: "Margherita pizza", priceCents: 1299 },
  mushrooms: { name: "Extra mushrooms (topping)", priceCents: 199 },
  coke: { name: "Coke (330 ml)", priceCents: 299 },
};
export const USERS = {
  alice: { id: "alice", name: "Alice", password: "pepperoni", startingCreditCents: 10000 },
  bob: { id: "bob", name: "Bob", password: "margherita", startingCreditCents: 10000 },
};
export type Username = keyof typeof USERS;

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface ModelOrder {
  readonly id: string;
  readonly items: ReturnType<typeof view>["items"];
  readonly totalCents: number;
}

export interface ModelBrowser {
  user: Username | null;
  cart: Map<string, number>;
}

export interface ModelLedgerLine {
  readonly amountCents: number;
  readonly balanceCents: number;
  readonly description: string;
  readonly orderId?: string;
}

/** An avatar as its owner uploaded it: the bytes and the type they are. */
export interface ModelAvatar {
  readonly bytes: Buffer;
  readonly contentType: string;
}

export class ShopModel {
  readonly browsers: ModelBrowser[];
  readonly orders: Record<Username, ModelOrder[]> = { alice: [], bob: [] };
  readonly avatars: Record<Username, ModelAvatar | undefined> = { alice: undefined, bob: undefined };
  readonly ledgers: Record<Username, ModelLedgerLine[]> = { alice: opening("alice"), bob: opening("bob") };
  /** How far the kitchen was last seen with each order (an index of KITCHEN_STATUSES): it only moves on. */
  readonly kitchen = new Map<string, number>();

  constructor(browsers: number) {
    this.browsers = Array.from({ length: browsers }, () => ({ user: null, cart: new Map() }));
  }
}

const opening = (user: Username): ModelLedgerLine[] => {
  const cents = USERS[user].startingCreditCents;
  return [{ amountCents: cents, balanceCents: cents, description: "Starting credit" }];
};

export const KITCHEN_STATUSES = ["placed", "preparing", "ready"] as const;

/** The products the kitchen cooks: an order with none of them (drinks, toppings) is ready when placed. */
const COOKED = new Set<string>(["pepperoni-pizza", "margherita-pizza"]);
const goesToKitchen = (order: Pick<ModelOrder, "items">) => order.items.some((item) => COOKED.has(item.sku));

/**
 * An order's kitchen fields as they must read at `status` (one attempt, since nothing fails in the
 * model's runs): who cooks and since when once it is preparing, when it was ready and cooked once
 * after. An order with nothing to cook is ready from the start, cooked by no one.
 */
function kitchenFields(order: Pick<ModelOrder, "items">, status: (typeof KITCHEN_STATUSES)[number]) {
  if (!goesToKitchen(order)) return { status: "ready", readyAt: expect.any(String), attempts: 0, cooked: 0 };
  const started = status === "placed" ? {} : { preparedBy: expect.any(String), startedAt: expect.any(String) };
  const ready = status === "ready" ? { readyAt: expect.any(String) } : {};
  return { status, ...started, ...ready, attempts: status === "placed" ? 0 : 1, cooked: status === "ready" ? 1 : 0 };
}

/** An order as the app must show it at `status`: the model's lines and total, any timestamp, the kitchen's fields. */
export const orderAt = (
  order: Omit<ModelOrder, "id"> & { id: unknown },
  status: (typeof KITCHEN_STATUSES)[number],
) => ({
  ...order,
  createdAt: expect.any(String),
  ...kitchenFields(order, status),
});

/** The kitchen's status of an order as seen now, which only moves on from what was seen before. */
export function kitchenStatusSeen(model: ShopModel, id: string, seen: unknown) {
  const last = model.kitchen.get(id) ?? 0;
  const now = KITCHEN_STATUSES.indexOf(seen as (typeof KITCHEN_STATUSES)[number]);
  const status = KITCHEN_STATUSES[Math.max(last, now)]!;
  model.kitchen.set(id, KITCHEN_STATUSES.indexOf(status));
  return status;
}

/** What the user's store credit holds now. */
export const balanceOf = (model: ShopModel, user: Username) => model.ledgers[user].at(-1)!.balanceCents;

/** The cart as the contract shows it: lines in catalog order, priced in integer cents. */
export function view(cart: ReadonlyMap<string, number>) {
  const items = SKUS.filter((sku) => cart.has(sku)).map((sku) => {
    const { name, priceCents } = PRODUCTS[sku]!;
    const quantity = cart.get(sku)!;
    return { sku, name, quantity, unitPriceCents: priceCents, lineTotalCents: priceCents * quantity };
  });
  return { items, totalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0) };
}

export const error = (status: number, code: string): Answer => ({
  status,
  body: { error: { code, message: expect.any(String) } },
});

export const NOT_LOGGED_IN = error(401, "NOT_LOGGED_IN");

export const isKnownSku = (sku: string) => sku in PRODUCTS;

/** A quantity the contract accepts: a whole number from `min` to 99. */
export const isValidQuantity = (quantity: number, min: 0 | 1) =>
  Number.isInteger(quantity) && quantity >= min && quantity <= 99;
