// The contract for logging in and out.
import request from "supertest";
import { PIZZA, type ContractClient } from "./client";
import { expectError } from "./expectations";

export function describeAuthRoutes({ issuesTokens, app, loggedIn, addItem }: ContractClient): void {
  describe("POST /auth/login", () => {
    it("with the right password returns the user and sets an httpOnly, SameSite=Lax cookie", async () => {
      const response = await request(app).post("/auth/login").send({ username: "alice", password: "pepperoni" });
      expect(response.status).toBe(200);
      expect(response.body.user).toEqual({ id: "alice", name: "Alice" });
      expect(typeof response.body.token).toBe(issuesTokens ? "string" : "undefined");
      const cookie = String(response.headers["set-cookie"]);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
    });

    it.each([
      ["a wrong password", { username: "alice", password: "hawaiian" }],
      ["an unknown user", { username: "mallory", password: "pepperoni" }],
      ["another user's password", { username: "bob", password: "pepperoni" }],
    ])("with %s answers 401 BAD_CREDENTIALS", async (_case, body) => {
      expectError(await request(app).post("/auth/login").send(body), 401, "BAD_CREDENTIALS");
    });

    it.each([
      ["no body", undefined],
      ["a missing password", { username: "alice" }],
      ["a number for a username", { username: 42, password: "pepperoni" }],
      ["an array", ["alice", "pepperoni"]],
      ["a __proto__ key", JSON.parse('{"username":"alice","password":"pepperoni","__proto__":{"admin":true}}')],
    ])("with %s answers 400 VALIDATION_FAILED", async (_case, body) => {
      expectError(await request(app).post("/auth/login").send(body), 400, "VALIDATION_FAILED");
    });

    it("with malformed JSON answers 400 MALFORMED_JSON", async () => {
      const response = await request(app)
        .post("/auth/login")
        .set("Content-Type", "application/json")
        .send('{"username":');
      expectError(response, 400, "MALFORMED_JSON");
    });

    it("with a body that is not JSON answers 415", async () => {
      const response = await request(app).post("/auth/login").set("Content-Type", "text/plain").send("alice:pepperoni");
      expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("with a form body answers 415", async () => {
      const response = await request(app).post("/auth/login").type("form").send({ username: "alice" });
      expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("with a body over 10 kB answers 413", async () => {
      const response = await request(app)
        .post("/auth/login")
        .send({ username: "alice", password: "x".repeat(11 * 1024) });
      expectError(response, 413, "BODY_TOO_LARGE");
    });
  });

  describe("GET /me", () => {
    it("returns the logged-in user", async () => {
      const agent = await loggedIn("bob");
      expect((await agent.get("/me").expect(200)).body).toEqual({ user: { id: "bob", name: "Bob" } });
    });

    it("without logging in answers 401 NOT_LOGGED_IN", async () => {
      expectError(await request(app).get("/me"), 401, "NOT_LOGGED_IN");
    });
  });

  describe("POST /auth/logout", () => {
    it("ends the session: the same cookie is refused afterwards", async () => {
      const login = await request(app).post("/auth/login").send({ username: "alice", password: "pepperoni" });
      const cookie = login.headers["set-cookie"] as unknown as string[];
      await request(app).post("/auth/logout").set("Cookie", cookie).expect(204);
      expect((await request(app).get("/me").set("Cookie", cookie)).status).toBe(401);
    });

    it("discards the cart, which belongs to the session", async () => {
      const agent = await loggedIn();
      await addItem(agent, PIZZA).expect(200);
      await agent.post("/auth/logout").expect(204);
      await agent.post("/auth/login").send({ username: "alice", password: "pepperoni" }).expect(200);
      expect((await agent.get("/cart")).body).toEqual({ items: [], totalCents: 0 });
    });

    it("without logging in answers 401", async () => {
      expectError(await request(app).post("/auth/logout"), 401, "NOT_LOGGED_IN");
    });
  });
}
