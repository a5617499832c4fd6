// The kitchen's rules: how long an order cooks, and what one delivery of its job does, whatever
// holds the orders (here a map, as the stateful app's memory does).
import { cook, cookingMs, createOrder, finishCooking, startCooking, type KitchenOrders, type Order } from "../src";

/** Orders in a map, as the stateful app's memory holds them. */
function ordersInMemory(...orders: Order[]): KitchenOrders & { get(id: string): Order } {
  const byId = new Map(orders.map((order) => [order.id, order]));
  const update = (id: string, next: Order | undefined) => next && (byId.set(id, next), next);
  return {
    get: (id) => byId.get(id)!,
    async start(id, by, at) {
      const started = update(id, startCooking(byId.get(id)!, by, at));
      return started && { attempt: started.attempts, items: started.items };
    },
    finish: async (id, attempt, at) => update(id, finishCooking(byId.get(id)!, attempt, at)) !== undefined,
  };
}

describe("cookingMs", () => {
  it("counts KITCHEN_MS per pizza; drinks and toppings take no kitchen time", () => {
    const items = [
      { sku: "pepperoni-pizza", quantity: 2 },
      { sku: "margherita-pizza", quantity: 1 },
      { sku: "mushrooms", quantity: 3 },
      { sku: "coke", quantity: 4 },
    ];
    expect(cookingMs(items, 500)).toBe(1500);
    expect(cookingMs([{ sku: "coke", quantity: 1 }], 500)).toBe(0);
  });
});

describe("cook", () => {
  const pizzas = (quantity: number) => createOrder([{ sku: "pepperoni-pizza", quantity }]);

  it("takes the order, waits its cooking time, and marks it ready, cooked once by that server", async () => {
    const order = pizzas(3);
    const orders = ordersInMemory(order);
    const waited: number[] = [];
    const outcome = await cook(orders, order.id, {
      cook: "s1",
      kitchenMs: 100,
      wait: async (ms) => void waited.push(ms),
    });
    expect(outcome).toBe("cooked");
    expect(waited).toEqual([300]);
    expect(orders.get(order.id)).toMatchObject({ status: "ready", preparedBy: "s1", attempts: 1, cooked: 1 });
  });

  it("does not record a delivery that another took over while it cooked, nor cook an order already ready", async () => {
    const order = pizzas(1);
    const orders = ordersInMemory(order);
    let resume!: () => void;
    const stalled = cook(orders, order.id, {
      cook: "s1",
      kitchenMs: 100,
      wait: () => new Promise<void>((resolve) => (resume = resolve)),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cook(orders, order.id, { cook: "s2", kitchenMs: 100, wait: async () => undefined })).toBe("cooked");
    resume();
    expect(await stalled).toBe("taken-over");
    expect(await cook(orders, order.id, { cook: "s3", kitchenMs: 100, wait: async () => undefined })).toBe(
      "nothing-to-do",
    );
    expect(orders.get(order.id)).toMatchObject({ status: "ready", preparedBy: "s2", attempts: 2, cooked: 1 });
  });
});
