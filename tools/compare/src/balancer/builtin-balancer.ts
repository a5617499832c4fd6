// The zero-install load balancer: http-proxy-3 does the proxying; the routing policy is ours.
//  - sticky: like HAProxy's `cookie SERVERID insert indirect nocache` + `option redispatch`: the
//    first response pins the client with a SERVERID cookie; if the pinned backend is down, the
//    client is re-pinned to a live one. The cookie is removed before the request reaches the app.
//  - round-robin: every request goes to the next live backend.
// A request that cannot have reached an app is retried on another live backend (HAProxy's
// retries + redispatch): the connection was refused. A GET whose kept-alive connection turned out
// to be closed before anything came back is asked again of the same backend on a new connection
// (it may only have timed the idle connection out; if it died, that connection is refused):
// reading twice is harmless, while a POST might have been applied. Any other proxy error is a 502.
// A WebSocket upgrade (the chat) is routed as a request is, then tunnelled for as long as it lasts;
// it is not a request in flight (a drain does not wait for it: the server closes it when it stops).
import { createHttpServer } from "@cart/http-kit";
import { parseCookie } from "cookie";
import { createProxyServer } from "http-proxy-3";
import { Agent, ServerResponse, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Readable } from "node:stream";
import type { RoutingPolicy } from "../vocabulary";
import { HealthChecks } from "./health-checks";
import { refuseSocket, reply } from "./balancer-answers";
import type { Backend, LoadBalancer } from "./load-balancer";
import { STICKY_COOKIE, withoutCookie } from "./sticky-cookie";

const MAX_BODY_BYTES = 1024 * 1024;

export class BuiltinBalancer implements LoadBalancer {
  /**
   * Kept-alive connections to the backends: a new one per request would cost more than the
   * proxying. An idle one is closed after 5 s, or a second before the server's `Keep-Alive:
   * timeout=N` hint says the server would close it (Node's agent applies the hint only to an agent
   * with a timeout of its own): otherwise a request sent as the server closes it is lost.
   */
  private readonly backendConnections = new Agent({ keepAlive: true, maxSockets: 256, timeout: 5000 });
  // xfwd: the apps see the client's address in X-Forwarded-For (their per-client login limits).
  private readonly proxy = createProxyServer({ proxyTimeout: 10000, xfwd: true, agent: this.backendConnections });
  private readonly health = new HealthChecks();
  /** Requests it cannot parse are refused as the apps refuse them: JSON, `X-Served-By: balancer`. */
  private readonly server = createHttpServer((req, res) => void this.handle(req, res), "balancer");
  /** The SERVERID cookie to add to a request's response, when it (re)pins the client. */
  private readonly pinning = new WeakMap<IncomingMessage, string>();
  /** Whether a request went out on a kept-alive connection (which may have died while idle). */
  private readonly reusedConnection = new WeakMap<IncomingMessage, boolean>();
  private next = 0;
  /** Clients' WebSockets being tunnelled: closed with the balancer. */
  private readonly tunnels = new Set<Socket>();
  /** Requests in flight per backend, and who waits for a drained backend's count to reach 0. */
  private readonly inFlight = new Map<string, number>();
  private readonly drained = new Map<string, () => void>();
  url = "";

  private constructor(private currentPolicy: RoutingPolicy) {
    this.proxy.on("proxyReq", (proxyReq, req) => this.reusedConnection.set(req, proxyReq.reusedSocket));
    this.proxy.on("proxyRes", (proxyRes, req) => {
      // A backend closing its connection (`Connection: close`, as a server does while it shuts
      // down) is not the client's business: its own connection to the balancer stays open.
      delete proxyRes.headers.connection;
      // Added to the backend's own Set-Cookie headers, which the proxy copies onto the response.
      const cookie = this.pinning.get(req);
      if (cookie) proxyRes.headers["set-cookie"] = [...(proxyRes.headers["set-cookie"] ?? []), cookie];
    });
  }

  static async start(policy: RoutingPolicy, backends: readonly Backend[]): Promise<BuiltinBalancer> {
    const balancer = new BuiltinBalancer(policy);
    balancer.server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) =>
      balancer.upgrade(req, socket, head),
    );
    balancer.health.track(backends);
    await new Promise<void>((resolve) => balancer.server.listen(0, "127.0.0.1", resolve));
    balancer.url = `http://127.0.0.1:${(balancer.server.address() as AddressInfo).port}`;
    return balancer;
  }

  get policy(): RoutingPolicy {
    return this.currentPolicy;
  }

  async setPolicy(policy: RoutingPolicy): Promise<void> {
    this.currentPolicy = policy;
  }

  async setBackends(backends: readonly Backend[]): Promise<void> {
    this.health.track(backends);
  }

  async liveIds(): Promise<string[]> {
    return this.health.live().map(({ id }) => id);
  }

  drain(id: string): Promise<void> {
    this.health.setMaintenance(id, true);
    if (!this.inFlight.get(id)) return Promise.resolve();
    return new Promise((resolve) => this.drained.set(id, resolve));
  }

  async restore(id: string): Promise<void> {
    this.health.setMaintenance(id, false);
  }

  async close(): Promise<void> {
    this.health.stop();
    this.server.closeAllConnections();
    for (const socket of this.tunnels) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
    this.proxy.close();
    this.backendConnections.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req).catch(() => undefined);
    if (body === undefined) return reply(res, "BODY_TOO_LARGE", "The request body is too large for the balancer");
    const pinned = this.takePin(req);

    const tried = new Set<string>();
    /** A backend whose kept-alive connection closed under a GET: asked again, on a new connection. */
    let askAgain: Backend | undefined;
    for (;;) {
      const live = this.health.live().filter((backend) => !tried.has(backend.id));
      const backend = askAgain ?? live.find((candidate) => candidate.id === pinned) ?? this.pick(live);
      if (!backend) return reply(res, "NO_BACKEND", "No live server behind the balancer");
      tried.add(backend.id);
      if (this.policy === "sticky" && backend.id !== pinned) {
        this.pinning.set(req, `${STICKY_COOKIE}=${backend.id}; Path=/; HttpOnly; SameSite=Lax`);
      }
      const newConnection = askAgain !== undefined;
      askAgain = undefined;
      const error = await this.track(backend.id, this.forward(req, res, backend, body, newConnection));
      if (!error) return;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ECONNREFUSED" && !res.headersSent) {
        this.health.markDown(backend.id);
        continue;
      }
      // The server may be alive and have closed an idle connection just as the request went out:
      // another server would not know a sticky client. If it is dead, the new connection is refused.
      const staleConnection = (code === "ECONNRESET" || code === "EPIPE") && this.reusedConnection.get(req);
      if (staleConnection && req.method === "GET" && !res.headersSent) {
        askAgain = backend;
        continue;
      }
      if (!res.headersSent) return reply(res, "BAD_GATEWAY", `${backend.id} failed: ${error.message}`);
      return void res.destroy();
    }
  }

  /** The server a sticky client is pinned to, if any; the cookie is removed before the app sees it. */
  private takePin(req: IncomingMessage): string | undefined {
    if (this.policy !== "sticky") return undefined;
    const pinned = parseCookie(req.headers.cookie ?? "")[STICKY_COOKIE];
    const rest = withoutCookie(req.headers.cookie, STICKY_COOKIE);
    if (rest) req.headers.cookie = rest;
    else delete req.headers.cookie;
    return pinned;
  }

  /** A WebSocket: to the pinned server if it is live, else the next live one; refusals as JSON. */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    this.tunnels.add(socket);
    socket.once("close", () => this.tunnels.delete(socket));
    if (req.headers.upgrade?.toLowerCase() !== "websocket") return this.withoutUpgrade(req, socket, head);
    const pinned = this.takePin(req);
    const live = this.health.live();
    const backend = live.find((candidate) => candidate.id === pinned) ?? this.pick(live);
    if (!backend) return refuseSocket(socket, "NO_BACKEND", "No live server behind the balancer");
    this.proxy.ws(req, socket, head, { target: backend.url }, (error: Error) => {
      if ((error as NodeJS.ErrnoException).code === "ECONNREFUSED") this.health.markDown(backend.id);
      refuseSocket(socket, "BAD_GATEWAY", `${backend.id} failed: ${error.message}`);
    });
  }

  /**
   * Any other upgrade (`h2c`, say) is not carried: the request is answered as the plain request it
   * also is, as HAProxy and the apps answer it, and what asks for the upgrade is left out, so that
   * no server sees an h2c upgrade from a proxy (a known way to smuggle requests past one). Node has
   * stopped reading the connection as HTTP, so it closes after the answer. A body would have to be
   * read from the raw connection: such a request is refused instead.
   */
  private withoutUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once("finish", () => socket.end());
    const hasBody =
      head.length > 0 || Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"];
    if (hasBody) return reply(res, "UPGRADE_NOT_SUPPORTED", "Only WebSocket upgrades go through the balancer");
    for (const asking of ["upgrade", "http2-settings"]) delete req.headers[asking];
    req.headers.connection = "close";
    void this.handle(req, res);
  }

  private pick(live: Backend[]): Backend | undefined {
    if (live.length === 0) return undefined;
    return live[this.next++ % live.length];
  }

  private async track<T>(id: string, request: Promise<T>): Promise<T> {
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
    try {
      return await request;
    } finally {
      const left = this.inFlight.get(id)! - 1;
      this.inFlight.set(id, left);
      if (left === 0) {
        this.drained.get(id)?.();
        this.drained.delete(id);
      }
    }
  }

  /** Resolves once the backend's response has been sent on, or with the error that stopped it. */
  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    backend: Backend,
    body: Buffer,
    newConnection: boolean,
  ): Promise<Error | undefined> {
    return new Promise((resolve) => {
      res.once("finish", () => resolve(undefined));
      // A response cut off mid-way (the server died after its headers) ends with "close" alone.
      res.once("close", () => resolve(res.writableFinished ? undefined : new Error("the response was cut off")));
      // `agent: false`: a connection of its own, closed after this request, not one from the pool.
      const connection = newConnection ? { agent: false } : {};
      this.proxy.web(req, res, { target: backend.url, buffer: Readable.from([body]), ...connection }, (error: Error) =>
        resolve(error),
      );
    });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error("too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
