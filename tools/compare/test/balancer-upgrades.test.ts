// A request may ask to switch protocols (`Connection: Upgrade`). The balancers carry WebSockets
// (the chat) and nothing else: any other upgrade, `h2c` above all, is answered as the plain request
// it also is, and never reaches a server as an upgrade: a proxy that passes an h2c upgrade on can
// be used to smuggle requests past it. A server of the test's own records what reached it.
import { sendRaw } from "@cart/contract-suite";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BuiltinBalancer } from "../src/balancer/builtin-balancer";
import { HaproxyBalancer } from "../src/balancer/haproxy-balancer";
import type { LoadBalancer } from "../src/balancer/load-balancer";
import { describeNeeding } from "./prerequisites";

/** What reached the server: the headers of each plain request, and each upgrade it was asked for. */
const seen = { requests: [] as IncomingHttpHeaders[], upgrades: [] as string[] };
let server: Server;
let backend: { id: string; url: string };

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/catalog") seen.requests.push(req.headers);
    const body = '{"products":[]}';
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length, "x-served-by": "web-1" });
    res.end(body);
  });
  // A server that would switch to anything it is asked for: the balancer must not ask it.
  server.on("upgrade", (req, socket) => {
    seen.upgrades.push(String(req.headers.upgrade));
    socket.end("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  backend = { id: "web-1", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const upgradeTo = (protocol: string, rest = "\r\n") =>
  `GET /catalog HTTP/1.1\r\nHost: shop.example\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: ${protocol}\r\n` +
  `HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n${rest}`;

function itAnswersUpgradesAsPlainRequests(start: () => Promise<LoadBalancer>) {
  let balancer: LoadBalancer;
  beforeAll(async () => {
    balancer = await start();
  });
  afterAll(() => balancer.close());
  beforeEach(() => {
    seen.requests = [];
    seen.upgrades = [];
  });

  it.each(["h2c", "a-protocol-of-its-own/1.0"])(
    "answers GET /catalog asking to upgrade to %s from the server, as a plain GET: no 101, no upgrade passed on",
    async (protocol) => {
      const answer = await sendRaw(Number(new URL(balancer.url).port), upgradeTo(protocol));
      expect({ status: answer.status, servedBy: answer.headers["x-served-by"] }).toEqual({
        status: 200,
        servedBy: "web-1",
      });
      expect(JSON.parse(answer.body)).toEqual({ products: [] });
      expect(seen.upgrades).toEqual([]);
      expect(seen.requests).toHaveLength(1);
      expect(seen.requests[0]!.upgrade).toBeUndefined();
    },
  );
}

/** A WebSocket named beside h2c: the balancer must not take it for a WebSocket and pass the h2c on. */
const H2C_BESIDE_WEBSOCKET = upgradeTo("h2c, websocket");

describe("the built-in balancer", () => {
  itAnswersUpgradesAsPlainRequests(() => BuiltinBalancer.start("round-robin", [backend]));

  it("answers an upgrade to h2c beside a WebSocket as a plain GET too", async () => {
    const balancer = await BuiltinBalancer.start("round-robin", [backend]);
    try {
      const answer = await sendRaw(Number(new URL(balancer.url).port), H2C_BESIDE_WEBSOCKET);
      expect({ status: answer.status, servedBy: answer.headers["x-served-by"] }).toEqual({
        status: 200,
        servedBy: "web-1",
      });
      expect(seen.upgrades).toEqual([]);
      expect(seen.requests.at(-1)?.upgrade).toBeUndefined();
    } finally {
      await balancer.close();
    }
  });

  it("refuses, in JSON, an upgrade other than a WebSocket that carries a body", async () => {
    const balancer = await BuiltinBalancer.start("round-robin", [backend]);
    try {
      const answer = await sendRaw(
        Number(new URL(balancer.url).port),
        upgradeTo("h2c", "Content-Length: 5\r\n\r\nhello").replace("GET", "POST"),
      );
      expect({ status: answer.status, servedBy: answer.headers["x-served-by"] }).toEqual({
        status: 400,
        servedBy: "balancer",
      });
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: "UPGRADE_NOT_SUPPORTED", message: expect.any(String) },
      });
      expect(seen.upgrades).toEqual([]);
    } finally {
      await balancer.close();
    }
  });
});

describeNeeding("haproxy", "the HAProxy balancer", () => {
  const start = () => HaproxyBalancer.start({ name: "shop", policy: "round-robin", backends: [backend], slots: [] });
  itAnswersUpgradesAsPlainRequests(start);

  it("refuses an upgrade to h2c beside a WebSocket itself (its own 400), passing nothing on", async () => {
    const balancer = await start();
    try {
      const answer = await sendRaw(Number(new URL(balancer.url).port), H2C_BESIDE_WEBSOCKET);
      expect(answer.status).toBe(400);
      expect(seen.upgrades).toEqual([]);
    } finally {
      await balancer.close();
    }
  });
});
