// The contract for every response, health checks and the catalog.
import request from "supertest";
import type { ContractClient } from "./client";
import { expectError } from "./expectations";

export function describePublicRoutes({ name, app }: ContractClient): void {
  describe("every response", () => {
    it("names the instance that served it in X-Served-By", async () => {
      const response = await request(app).get("/catalog");
      expect(response.headers["x-served-by"]).toBe(`${name}-1`);
    });

    it("does not advertise Express", async () => {
      const response = await request(app).get("/healthz");
      expect(response.headers["x-powered-by"]).toBeUndefined();
    });

    it("answers an unknown route with a JSON 404", async () => {
      expectError(await request(app).get("/admin"), 404, "NOT_FOUND");
    });
  });

  describe("GET /healthz and GET /readyz", () => {
    it("say the instance is alive and its store answers", async () => {
      const health = await request(app).get("/healthz").expect(200);
      expect(health.body).toEqual({
        status: "ok",
        instance: `${name}-1`,
        sessionsInMemory: expect.any(Number),
        kitchen: expect.any(Object),
      });
      // Ready once its stores answer and are prepared: the stateless app prepares its database and
      // its bucket in the background as it starts, and says 503 until then.
      const until = Date.now() + 5000;
      let ready = await request(app).get("/readyz");
      while (ready.status === 503 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ready = await request(app).get("/readyz");
      }
      expect(ready.status).toBe(200);
    });
  });

  describe("GET /catalog", () => {
    it("lists the products with prices in integer cents", async () => {
      const { body } = await request(app).get("/catalog").expect(200);
      expect(body.products).toEqual(
        expect.arrayContaining([
          { sku: "pepperoni-pizza", name: "Large pepperoni pizza", priceCents: 1499 },
          expect.objectContaining({ sku: "margherita-pizza", priceCents: 1299 }),
          expect.objectContaining({ sku: "mushrooms", priceCents: 199 }),
          expect.objectContaining({ sku: "coke", priceCents: 299 }),
        ]),
      );
    });
  });
}
