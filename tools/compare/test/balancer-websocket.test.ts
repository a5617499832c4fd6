// Both balancers carry the chat's WebSockets: routed as requests are (a sticky client to the server
// its SERVERID cookie names, round-robin otherwise), refusals passed on as the app's JSON, and the
// tunnel kept open. Real app processes behind each balancer.
import WebSocket from "ws";
import { logIn } from "../src/rig/demo-logins";
import type { Stack } from "../src/rig/stack";
import { TestBed } from "../src/rig/test-bed";
import type { BalancerKind } from "../src/vocabulary";
import { describeNeeding } from "./prerequisites";

jest.setTimeout(60_000);

/** Opens /chat through `url`; resolves with the server that took it, or the refusal's status and code. */
function openThrough(url: string, cookie?: string): Promise<{ servedBy?: string; status?: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/chat`, { headers: cookie ? { cookie } : {} });
    ws.once("upgrade", (res) => {
      const servedBy = String(res.headers["x-served-by"]);
      ws.once("open", () => {
        ws.close();
        resolve({ servedBy });
      });
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode, code: JSON.parse(body).error?.code }));
    });
    ws.once("error", reject);
  });
}

const BALANCERS: [BalancerKind, "haproxy" | undefined][] = [
  ["builtin", undefined],
  ["haproxy", "haproxy"],
];

for (const [lb, needs] of BALANCERS)
  describeNeeding(needs, `WebSockets through the ${lb} balancer`, () => {
    let bed: TestBed;
    let stateful: Stack;
    let stateless: Stack;
    beforeAll(async () => {
      // A Redis of its own: the test run's shared one may have bob locked out by other files' tests.
      bed = await TestBed.open({ lb, ownStore: true });
      [stateful, stateless] = await Promise.all([
        bed.startStack("stateful", { instances: 2 }),
        bed.startStack("stateless", { instances: 2 }),
      ]);
    });
    afterAll(() => bed.close());

    it("sends a sticky client's socket to the server its cookie names", async () => {
      const cookie = await logIn(stateful.balancer.url, "alice");
      const pinnedTo = /SERVERID=([^;]+)/.exec(cookie)![1];
      for (let i = 0; i < 3; i++)
        expect(await openThrough(stateful.balancer.url, cookie)).toEqual({ servedBy: pinnedTo });
    });

    it("spreads round-robin sockets over the servers", async () => {
      const cookie = await logIn(stateless.balancer.url, "bob");
      const servers = new Set<string | undefined>();
      for (let i = 0; i < 4; i++) servers.add((await openThrough(stateless.balancer.url, cookie)).servedBy);
      expect([...servers].sort()).toEqual(stateless.cluster.ids.slice().sort());
    });

    it("passes the app's refusal on: 401 JSON without an identity", async () => {
      expect(await openThrough(stateless.balancer.url)).toEqual({ status: 401, code: "NOT_LOGGED_IN" });
    });
  });
