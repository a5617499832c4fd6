// A balancer keeps connections to its servers open between requests, and a server closes one that
// has been idle for its keep-alive timeout (5 s in Node). When the balancer sends a request on such
// a connection just as the server closes it, nothing reached the app. A sticky client's GET must
// then be asked again of the same server, on a new connection: sending it to another server loses
// a stateful user's session (a `pnpm compare` run in CI saw a 401 that way, mid-journey).
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { BuiltinBalancer } from "../src/balancer/builtin-balancer";
import { HaproxyBalancer } from "../src/balancer/haproxy-balancer";
import type { Backend, LoadBalancer } from "../src/balancer/load-balancer";
import { describeNeeding } from "./prerequisites";

const servers: Server[] = [];
let backends: Backend[];
/** The requests for /cart each server saw, answered or not. */
const cartRequests = new Map<string, number>();

/**
 * A server that answers the first request for /cart on each connection and closes the connection,
 * unanswered, under any later one: what a server that times an idle connection out at that instant
 * does. Its health checks are answered as usual.
 */
function closingReusedConnections(id: string): Server {
  const answered = new WeakSet<Socket>();
  return createServer((req, res) => {
    if (req.url === "/cart") {
      cartRequests.set(id, (cartRequests.get(id) ?? 0) + 1);
      if (answered.has(req.socket)) return void req.socket.destroy();
      answered.add(req.socket);
    }
    res.writeHead(200, { "content-type": "application/json", "x-served-by": id }).end("{}");
  });
}

beforeAll(async () => {
  backends = await Promise.all(
    ["web-1", "web-2"].map(async (id) => {
      const server = closingReusedConnections(id);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return { id, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }),
  );
});

afterAll(async () => {
  await Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** A GET pinned to web-1: the server that answered and the SERVERID it (re)pinned the client to, or "closed". */
async function getPinnedToWeb1(balancer: LoadBalancer): Promise<string> {
  const response = await fetch(`${balancer.url}/cart`, { headers: { cookie: "SERVERID=web-1" } }).catch(
    () => undefined,
  );
  if (!response) return "closed";
  await response.body?.cancel();
  const pin = /SERVERID=([^;]+)/.exec(response.headers.getSetCookie().join("; "))?.[1];
  return `${response.status} from ${response.headers.get("x-served-by")}${pin ? `, pinned to ${pin}` : ""}`;
}

/** Five GETs pinned to web-1, and whether the race happened (web-1 saw more requests than it answered). */
async function fiveGets(balancer: LoadBalancer): Promise<{ answers: string[]; raced: boolean }> {
  cartRequests.clear();
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await getPinnedToWeb1(balancer));
  const answeredByWeb1 = answers.filter((answer) => answer.includes("from web-1")).length;
  return { answers, raced: (cartRequests.get("web-1") ?? 0) > answeredByWeb1 };
}

describe("the built-in balancer, when a server closes a kept-alive connection under a GET", () => {
  let balancer: BuiltinBalancer;
  beforeAll(async () => {
    balancer = await BuiltinBalancer.start("sticky", backends);
  });
  afterAll(() => balancer.close());

  it("asks the sticky client's own server again, on a new connection, and answers every GET from it", async () => {
    const { answers, raced } = await fiveGets(balancer);
    expect(answers).toEqual(Array(5).fill("200 from web-1"));
    expect(cartRequests.get("web-2")).toBeUndefined();
    expect(raced).toBe(true);
  });
});

// HAProxy answers the race its own way (`http-reuse safe`): it closes the client's connection, so
// that the client sends the GET again, as browsers and the suite's shoppers do. Either way the
// client is never moved to a server that does not know it.
describeNeeding("haproxy", "the HAProxy balancer, when a server closes a kept-alive connection under a GET", () => {
  let balancer: HaproxyBalancer;
  beforeAll(async () => {
    balancer = await HaproxyBalancer.start({ name: "shop", policy: "sticky", backends, slots: [] });
  });
  afterAll(() => balancer.close());

  it("never sends the sticky client to another server: it answers from its own or closes the connection", async () => {
    const { answers, raced } = await fiveGets(balancer);
    expect(answers.filter((answer) => answer !== "200 from web-1" && answer !== "closed")).toEqual([]);
    expect(cartRequests.get("web-2")).toBeUndefined();
    expect(raced).toBe(true);
  });
});

// Better still, the race is avoided: the built-in balancer closes a pooled connection a second
// before the server would (the `Keep-Alive: timeout=N` hint every Node server sends), so that it
// never sends a request on a connection the server is closing. Node's agent honours that hint only
// when it has an idle timeout of its own: without one, the server always closed first.
describe("the built-in balancer's pooled connections", () => {
  it("are closed by the balancer before the server's keep-alive timeout closes them", async () => {
    const server = createServer((_req, res) => res.writeHead(200, { "x-served-by": "web-3" }).end("{}"));
    server.keepAliveTimeout = 2000;
    const closedBy: string[] = [];
    server.on("connection", (socket: Socket) => {
      let clientEnded = false;
      socket.once("end", () => (clientEnded = true));
      socket.once("close", () => closedBy.push(clientEnded ? "balancer" : "server"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const backend = { id: "web-3", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    const balancer = await BuiltinBalancer.start("round-robin", [backend]);
    try {
      const response = await fetch(`${balancer.url}/cart`);
      expect(response.headers.get("x-served-by")).toBe("web-3");
      await response.body?.cancel();
      // The health checks' connections are closed after each check; the request's is pooled.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(closedBy).not.toContain("server");
      expect(closedBy).toContain("balancer");
    } finally {
      await balancer.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
