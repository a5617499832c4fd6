// What both apps promise about the browser's side of security: standard protective headers, and
// no state change on behalf of another site.
import request from "supertest";
import type { ContractClient } from "./client";
import { PIZZA } from "./client";
import { expectError } from "./expectations";

export function describeSecurity(client: ContractClient): void {
  describe("security headers", () => {
    it("sends helmet's protective headers and no X-Powered-By", async () => {
      const response = await request(client.app).get("/catalog").expect(200);
      expect(response.headers).toMatchObject({
        "x-content-type-options": "nosniff",
        "x-frame-options": "SAMEORIGIN",
        "content-security-policy": expect.stringContaining("default-src 'self'"),
      });
      expect(response.headers).not.toHaveProperty("x-powered-by");
    });
  });

  describe("a state-changing request with the user's cookie", () => {
    it("from another site (Origin) is refused: 403 CROSS_SITE_REQUEST, and nothing changes", async () => {
      const agent = await client.loggedIn();
      const forged = await agent.post("/cart/items").set("Origin", "https://evil.example").send(PIZZA);
      expectError(forged, 403, "CROSS_SITE_REQUEST");
      expect((await agent.get("/cart").expect(200)).body.items).toEqual([]);
    });

    it("from another site named only by Referer is refused too", async () => {
      const agent = await client.loggedIn();
      const forged = await agent.post("/checkout").set("Referer", "https://evil.example/free-pizza");
      expectError(forged, 403, "CROSS_SITE_REQUEST");
    });

    it("from the site itself goes through", async () => {
      const agent = await client.loggedIn();
      await agent
        .post("/cart/items")
        .set("Host", "shop.example")
        .set("Origin", "http://shop.example")
        .send(PIZZA)
        .expect(200);
    });
  });

  if (client.issuesTokens) {
    it("a Bearer request carries no cookie, so no other site can make a browser send it: not checked", async () => {
      const { body } = await request(client.app).post("/auth/login").send({ username: "alice", password: "pepperoni" });
      await request(client.app)
        .post("/cart/items")
        .auth(body.token, { type: "bearer" })
        .set("Origin", "https://api-client.example")
        .send(PIZZA)
        .expect(200);
    });
  }
}
