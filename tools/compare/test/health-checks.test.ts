// The built-in balancer's health checks keep one connection open to each server from check to
// check. A server that dies with that connection open must still be marked down within two
// checks, and a new server on its port marked up again: what a crash and its replacement look like
// to the balancer in every journey that kills a server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HealthChecks } from "../src/balancer/health-checks";
import type { Backend } from "../src/balancer/load-balancer";

const checks = new HealthChecks();
const servers = new Map<string, Server>();
const checked = new Map<string, number>();
const connections = new Map<string, number>();

function serve(id: string, port = 0): Promise<Backend> {
  const server = createServer((req, res) => {
    if (req.url === "/healthz") checked.set(id, (checked.get(id) ?? 0) + 1);
    res.writeHead(200, { "content-type": "application/json" }).end(`{"instance":"${id}"}`);
  });
  server.on("connection", () => connections.set(id, (connections.get(id) ?? 0) + 1));
  servers.set(id, server);
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () =>
      resolve({ id, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** As kill -9 leaves it: the port closed, and every connection to it, the checks' too, cut. */
async function crash(id: string): Promise<void> {
  const server = servers.get(id)!;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function until(condition: () => boolean, withinMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

const liveIds = () => checks.live().map(({ id }) => id);

afterAll(async () => {
  checks.stop();
  await Promise.all([...servers.keys()].map((id) => crash(id).catch(() => undefined)));
});

describe("the built-in balancer's health checks", () => {
  it("mark a crashed server down within two checks, its kept-alive connection notwithstanding, and its replacement up", async () => {
    const backends = await Promise.all(["web-1", "web-2"].map((id) => serve(id)));
    checks.track(backends);
    // Several checks each, over the connection kept open to each server.
    await until(() => (checked.get("web-1") ?? 0) >= 3 && (checked.get("web-2") ?? 0) >= 3, 3000);
    expect(liveIds()).toEqual(["web-1", "web-2"]);
    // One connection each, kept open from check to check.
    expect(Object.fromEntries(connections)).toEqual({ "web-1": 1, "web-2": 1 });

    await crash("web-1");
    // Two failed checks, 250 ms apart.
    await until(() => !liveIds().includes("web-1"), 1500);
    expect(liveIds()).toEqual(["web-2"]);

    // The replacement listens where the crashed server did, as a restarted instance does.
    await serve("web-1", Number(new URL(backends[0]!.url).port));
    const checksBefore = checked.get("web-1")!;
    await until(() => liveIds().includes("web-1"), 1500);
    expect(checked.get("web-1")).toBeGreaterThan(checksBefore);
    expect(liveIds()).toEqual(["web-1", "web-2"]);
  });
});
