// Through the balancer, a malformed request is answered in the contract's form too: JSON with a
// stable code and X-Served-By. What reaches an app is the app's answer; what the balancer cannot
// parse itself is the balancer's own refusal (`X-Served-By: balancer`). Real app processes, each
// behind the built-in balancer and behind HAProxy. HAProxy before 3.2 answers a request it cannot
// parse with its built-in HTML page whatever its configuration says (haproxy/haproxy#3032): the
// exception the README names.
import { oversizedHeaders, notHttp, sendRaw } from "@cart/contract-suite";
import type { Stack } from "../src/rig/stack";
import { TestBed } from "../src/rig/test-bed";
import { ARCHITECTURES } from "../src/vocabulary";
import { describeNeeding } from "./prerequisites";

jest.setTimeout(60_000);

const CASES = ARCHITECTURES.flatMap((app) => (["builtin", "haproxy"] as const).map((lb) => [app, lb] as const));

for (const [app, lb] of CASES) {
  describeNeeding(lb === "haproxy" ? "haproxy" : undefined, `the ${app} app behind the ${lb} balancer`, () => {
    let bed: TestBed;
    let stack: Stack;
    beforeAll(async () => {
      // A Redis of its own: on the run's shared one, other files' journeys lock the demo users out.
      bed = await TestBed.open({ lb, ownStore: true });
      stack = await bed.startStack(app, { instances: 1 });
    });
    afterAll(() => bed.close());
    const port = () => Number(new URL(stack.balancer.url).port);

    it("answers a cart line's broken percent-escape with the app's 400 MALFORMED_URL", async () => {
      const login = await fetch(`${stack.balancer.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "alice", password: "pepperoni" }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers
        .getSetCookie()
        .map((header) => header.split(";")[0])
        .join("; ");
      const response = await fetch(`${stack.balancer.url}/cart/items/%E0%A4%A`, {
        method: "PATCH",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ quantity: 1 }),
      });
      expect({ status: response.status, servedBy: response.headers.get("x-served-by") }).toEqual({
        status: 400,
        servedBy: `${app}-1`,
      });
      expect(await response.json()).toEqual({ error: { code: "MALFORMED_URL", message: expect.any(String) } });
    });

    // An upgrade the balancer does not carry (only WebSockets go through) is answered as the plain
    // request it also is, by the app, as the app itself answers it; an h2c upgrade never reaches a
    // server as one (a known request-smuggling path through proxies).
    it.each(["h2c", "a-protocol-of-its-own/1.0"])(
      "answers GET /catalog asking to upgrade to %s as a plain GET",
      async (protocol) => {
        const settings = protocol === "h2c" ? "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n" : "";
        const answer = await sendRaw(
          port(),
          `GET /catalog HTTP/1.1\r\nHost: shop.example\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: ${protocol}\r\n${settings}\r\n`,
        );
        expect({ status: answer.status, servedBy: answer.headers["x-served-by"] }).toEqual({
          status: 200,
          servedBy: `${app}-1`,
        });
        expect(answer.headers.upgrade).toBeUndefined();
        expect(JSON.parse(answer.body).products).toEqual(
          expect.arrayContaining([expect.objectContaining({ sku: "coke" })]),
        );
      },
    );

    if (lb === "builtin") {
      it.each([
        ["headers over its limit", oversizedHeaders(), 431, "HEADERS_TOO_LARGE"],
        ["a request line that is not HTTP", notHttp, 400, "MALFORMED_REQUEST"],
      ] as const)("refuses %s itself, in JSON, served by the balancer", async (_case, bytes, status, code) => {
        const answer = await sendRaw(port(), bytes);
        expect({ status: answer.status, servedBy: answer.headers["x-served-by"] }).toEqual({
          status,
          servedBy: "balancer",
        });
        expect(answer.headers["content-type"]).toMatch(/^application\/json/);
        expect(JSON.parse(answer.body)).toEqual({ error: { code, message: expect.any(String) } });
      });

      it("and the app process, reached directly, refuses them the same way under its own name", async () => {
        const appPort = Number(new URL(stack.cluster.url(`${app}-1`)).port);
        const answer = await sendRaw(appPort, oversizedHeaders());
        expect({ status: answer.status, servedBy: answer.headers["x-served-by"] }).toEqual({
          status: 431,
          servedBy: `${app}-1`,
        });
        expect(JSON.parse(answer.body).error.code).toBe("HEADERS_TOO_LARGE");
      });
    } else {
      it.each([
        ["headers over its buffer", oversizedHeaders()],
        ["a request line that is not HTTP", notHttp],
      ])("refuses %s itself with 400 (its own page)", async (_case, bytes) => {
        expect((await sendRaw(port(), bytes)).status).toBe(400);
      });
    }
  });
}
