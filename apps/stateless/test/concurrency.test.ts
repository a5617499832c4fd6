// Parallel writes to one cart, spread over two instances, lose nothing: each write is one
// atomic Redis script, not a read-modify-write in the app.
import request from "supertest";
import { statelessInstances } from "./instances";

describe("one cart written by two instances at once", () => {
  const { instance } = statelessInstances();
  const instances = [instance("stateless-1"), instance("stateless-2")] as const;

  it("ends with quantity 20 after 20 parallel adds of 1", async () => {
    const login = await request(instances[0]).post("/auth/login").send({ username: "alice", password: "pepperoni" });
    const token = login.body.token as string;
    const adds = Array.from({ length: 20 }, (_, i) =>
      request(instances[i % 2]!)
        .post("/cart/items")
        .auth(token, { type: "bearer" })
        .send({ sku: "coke", quantity: 1 }),
    );
    expect((await Promise.all(adds)).map((response) => response.status)).toEqual(Array(20).fill(200));
    const cart = await request(instances[1]).get("/cart").auth(token, { type: "bearer" });
    expect(cart.body.items).toEqual([expect.objectContaining({ sku: "coke", quantity: 20 })]);
  });

  it("never loses an item when checkouts race with adds: each is in the order or still in the cart", async () => {
    const login = await request(instances[0]).post("/auth/login").send({ username: "bob", password: "margherita" });
    const auth = { Authorization: `Bearer ${login.body.token as string}` };
    await request(instances[0]).post("/cart/items").set(auth).send({ sku: "coke", quantity: 1 }).expect(200);
    const adds = Array.from({ length: 10 }, (_, i) =>
      request(instances[i % 2]!)
        .post("/cart/items")
        .set(auth)
        .send({ sku: "coke", quantity: 1 }),
    );
    const [checkout] = await Promise.all([request(instances[1]).post("/checkout").set(auth), ...adds]);
    expect(checkout.status).toBe(201);
    const ordered = checkout.body.order.items[0].quantity as number;
    const left = ((await request(instances[0]).get("/cart").set(auth)).body.items[0]?.quantity ?? 0) as number;
    expect(ordered + left).toBe(11);
  });
});
