// What both apps answer to requests a broken or hostile client sends. A client's mistake is a
// 4xx in the contract's form (JSON, a stable code, X-Served-By), never a 500 or an empty answer:
// malformed URLs and bodies reach the app; what Node refuses before any app sees it (its HTTP
// parser's refusals, a missing Host, an unknown Expect) never does, so those go as raw bytes to
// the very server `runServer` listens with.
import { createHttpServer } from "@cart/http-kit";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { PIZZA, type ContractClient } from "./client";
import { expectError } from "./expectations";
import { notHttp, oversizedHeaders, sendRaw, type RawAnswer } from "./raw-http";

export function describeMalformedRequests(client: ContractClient): void {
  describe("a cart line's SKU whose percent-escape is not UTF-8", () => {
    it.each([
      ["PATCH", "/cart/items/%E0%A4%A"],
      ["DELETE", "/cart/items/%"],
      ["DELETE", "/cart/items/%C0%AF"],
    ])("%s %s answers 400 MALFORMED_URL, and the cart is unchanged", async (method, path) => {
      const agent = await client.loggedIn();
      await client.addItem(agent, PIZZA).expect(200);
      const call = method === "PATCH" ? agent.patch(path).send({ quantity: 1 }) : agent.delete(path);
      const response = await call;
      expectError(response, 400, "MALFORMED_URL");
      expect(response.headers["x-served-by"]).toBe(client.instanceId);
      expect((await agent.get("/cart").expect(200)).body.items).toEqual([expect.objectContaining(PIZZA)]);
    });
  });

  describe("a body that does not match its Content-Encoding", () => {
    it("answers 400 MALFORMED_BODY", async () => {
      const agent = await client.loggedIn();
      const response = await agent
        .post("/cart/items")
        .set("Content-Type", "application/json")
        .set("Content-Encoding", "gzip")
        .send(JSON.stringify(PIZZA));
      expectError(response, 400, "MALFORMED_BODY");
    });
  });

  describe("bad percent-escapes where the app only reads (query string, cookies)", () => {
    it("are no error: the request is served", async () => {
      const agent = await client.loggedIn();
      await agent.get("/cart?note=%E0%A4%A&x=%").expect(200);
      await request(client.app).get("/catalog").set("Cookie", "sid=%E0%A4%A; token=%C0%AF").expect(200);
    });
  });

  describe("a request Node refuses before the app (raw bytes to the server runServer uses)", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createHttpServer(client.app, client.instanceId);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const expectRefusal = (answer: RawAnswer, status: number, code: string) => {
      expect({ status: answer.status, servedBy: answer.headers["x-served-by"] }).toEqual({
        status,
        servedBy: client.instanceId,
      });
      expect(answer.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body)).toEqual({ error: { code, message: expect.any(String) } });
    };

    it("headers over the size limit answer 431 HEADERS_TOO_LARGE", async () => {
      expectRefusal(await sendRaw(port, oversizedHeaders()), 431, "HEADERS_TOO_LARGE");
    });

    it("a request line that is not HTTP answers 400 MALFORMED_REQUEST", async () => {
      expectRefusal(await sendRaw(port, notHttp), 400, "MALFORMED_REQUEST");
    });

    it("a header with a forbidden character answers 400 MALFORMED_REQUEST", async () => {
      const answer = await sendRaw(port, "GET /catalog HTTP/1.1\r\nHost: shop.example\r\nX-Note: a\x00b\r\n\r\n");
      expectRefusal(answer, 400, "MALFORMED_REQUEST");
    });

    it("an HTTP/1.1 request without a Host answers 400 MISSING_HOST", async () => {
      expectRefusal(await sendRaw(port, "GET /catalog HTTP/1.1\r\n\r\n"), 400, "MISSING_HOST");
    });

    it("an Expect other than 100-continue answers 417 EXPECTATION_FAILED", async () => {
      const answer = await sendRaw(port, "GET /catalog HTTP/1.1\r\nHost: shop.example\r\nExpect: 200-ok\r\n\r\n");
      expectRefusal(answer, 417, "EXPECTATION_FAILED");
    });

    it("and the server goes on serving the next request", async () => {
      await sendRaw(port, notHttp);
      const answer = await sendRaw(port, "GET /catalog HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
      expect(answer.status).toBe(200);
    });
  });
}
