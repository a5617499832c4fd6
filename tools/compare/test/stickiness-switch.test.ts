// Both balancers can turn stickiness off and on while they run (the workshop's switch, and the
// no-stickiness replay): off, a pinned client's requests go round the servers; on again, they go
// back to the server the client's SERVERID cookie names.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BuiltinBalancer } from "../src/balancer/builtin-balancer";
import { HaproxyBalancer } from "../src/balancer/haproxy-balancer";
import type { Backend, LoadBalancer } from "../src/balancer/load-balancer";
import { describeNeeding } from "./prerequisites";

const servers: Server[] = [];
let backends: Backend[];

beforeAll(async () => {
  backends = await Promise.all(
    ["web-1", "web-2", "web-3"].map(async (id) => {
      const server = createServer((_req, res) => res.writeHead(200, { "x-served-by": id }).end("{}"));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return { id, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }),
  );
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** The servers that answered `count` requests carrying the cookie SERVERID=web-2. */
async function servedPinnedToWeb2(balancer: LoadBalancer, count = 6): Promise<Set<string>> {
  const served = new Set<string>();
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${balancer.url}/`, { headers: { cookie: "SERVERID=web-2" } });
    await response.body?.cancel();
    served.add(response.headers.get("x-served-by") ?? "?");
  }
  return served;
}

const BALANCERS = [
  ["built-in", undefined, () => BuiltinBalancer.start("sticky", backends)],
  ["HAProxy", "haproxy", () => HaproxyBalancer.start({ name: "shop", policy: "sticky", backends, slots: [] })],
] as const;

for (const [kind, needs, start] of BALANCERS)
  describeNeeding(needs, `the ${kind} balancer, started sticky`, () => {
    let balancer: LoadBalancer;
    beforeAll(async () => {
      balancer = await start();
    });
    afterAll(() => balancer.close());

    it("keeps a pinned client on its server", async () => {
      expect(await servedPinnedToWeb2(balancer)).toEqual(new Set(["web-2"]));
    });

    it("sends the same client round the servers once stickiness is off", async () => {
      await balancer.setPolicy("round-robin");
      expect(balancer.policy).toBe("round-robin");
      expect(await servedPinnedToWeb2(balancer)).toEqual(new Set(["web-1", "web-2", "web-3"]));
    });

    it("pins the client to its server again once stickiness is back on", async () => {
      await balancer.setPolicy("sticky");
      expect(await servedPinnedToWeb2(balancer)).toEqual(new Set(["web-2"]));
    });
  });
