// A simulated browser: a cookie jar (and the bearer token, when login returns one), talking to
// the balancer. Every request is recorded as a step; an unexpected answer stops the journey with
// the first failing step in plain words.
import { readServerTiming, type StoreTiming } from "@cart/http-kit";
import { CookieJar } from "tough-cookie";
import { DEMO_PASSWORDS, type DemoUser } from "../rig/demo-logins";
import { JourneyFailure, type Step } from "./steps";

const REQUEST_TIMEOUT_MS = 15_000;

export interface Reply {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, checked by the journeys
  /** The body as it came (an image's bytes, say). */
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly instance: string;
  readonly ms: number;
  /** What the server says it used (Server-Timing); none from the balancer's own answers. */
  readonly stores: readonly StoreTiming[];
}

export type CartQuantities = Record<string, number>;

export class Shopper {
  private readonly jar = new CookieJar();
  private token: string | undefined;
  lastInstance = "";
  /** This browser's last request, as recorded: a failure names it (and the diagrams cross it out). */
  private lastStep: Step | undefined;
  /** The cart as this shopper last saw it. */
  cart: CartQuantities = {};

  constructor(
    readonly name: string,
    readonly user: DemoUser,
    private readonly baseUrl: string,
    private readonly record: (step: Step) => void,
    /** Waits before each request: the workshop replays a journey slowly enough to follow. */
    private readonly pace: () => Promise<void> = async () => {},
  ) {}

  /**
   * Sends a request through the balancer (or to `baseUrl`, e.g. one instance directly): `body` as
   * JSON, or as it is when it is bytes (an upload).
   */
  async send(method: string, path: string, body?: unknown, baseUrl = this.baseUrl): Promise<Reply> {
    await this.pace();
    const url = `${baseUrl}${path}`;
    const headers: Record<string, string> = {};
    const cookies = await this.jar.getCookieString(url);
    if (cookies) headers.cookie = cookies;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const upload = body instanceof Uint8Array;
    if (body !== undefined) headers["content-type"] = upload ? "application/octet-stream" : "application/json";
    const payload = upload ? body : body === undefined ? undefined : JSON.stringify(body);
    const started = performance.now();
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const call = () => fetch(url, { method, headers, body: payload, signal });
    // Like a browser: a GET whose kept-alive connection was closed under it is sent once more;
    // a request that changes something never is. A journey must end: no answer in time is an
    // answer too (status 0, NO_ANSWER).
    const reply = await call()
      .catch((error: Error) => (method === "GET" && !signal.aborted ? call() : Promise.reject(error)))
      .then(async (response) => {
        const bytes = Buffer.from(await response.arrayBuffer());
        for (const cookie of response.headers.getSetCookie()) await this.jar.setCookie(cookie, url);
        const instance = response.headers.get("x-served-by") ?? "balancer";
        const contentType = response.headers.get("content-type") ?? "";
        const body = contentType.startsWith("image/") ? undefined : parseJson(bytes.toString());
        const { stores } = readServerTiming(response.headers.get("server-timing"));
        return { status: response.status, body, bytes, contentType, instance, stores };
      })
      .catch((error: Error) => {
        // fetch says "fetch failed"; why is in its cause (ECONNRESET, "other side closed"…).
        const cause = error.cause as { code?: string; message?: string } | undefined;
        const why = cause ? `${error.message}: ${cause.code ?? cause.message}` : error.message;
        const body = { error: { code: "NO_ANSWER", message: why } };
        return { status: 0, body, bytes: Buffer.alloc(0), contentType: "", instance: "balancer", stores: [] };
      })
      .then((answer): Reply => ({ ...answer, ms: Math.round((performance.now() - started) * 10) / 10 }));
    const { instance, ms, stores } = reply;
    if (baseUrl === this.baseUrl) this.lastInstance = instance;
    if (reply.status === 200 && Array.isArray(reply.body?.items)) this.cart = quantities(reply.body.items);
    this.lastStep = {
      shopper: this.name,
      request: `${method} ${path}`,
      instance,
      status: reply.status,
      code: reply.body?.error?.code,
      ms,
      ...(stores.length > 0 && { stores }),
    };
    this.record(this.lastStep);
    return reply;
  }

  /** Sends a request and stops the journey unless it answers `status`. */
  async expect(status: number, method: string, path: string, body?: unknown): Promise<Reply> {
    const reply = await this.send(method, path, body);
    if (reply.status !== status)
      throw new JourneyFailure(describeFailure(this.name, `${method} ${path}`, reply), this.lastStep);
    return reply;
  }

  async login(): Promise<void> {
    const reply = await this.expect(200, "POST", "/auth/login", {
      username: this.user,
      password: DEMO_PASSWORDS[this.user],
    });
    this.token = reply.body.token;
    this.cart = {};
  }

  add(sku: string, quantity = 1): Promise<Reply> {
    return this.expect(200, "POST", "/cart/items", { sku, quantity });
  }

  /** Views the cart and stops the journey unless it holds exactly `expected`. */
  async expectCart(expected: CartQuantities): Promise<void> {
    const reply = await this.expect(200, "GET", "/cart");
    const seen = quantities(reply.body.items);
    if (describeCart(seen) !== describeCart(expected)) {
      throw new JourneyFailure(
        `GET /cart on ${reply.instance} → 200, but ${this.name}'s cart holds ${describeCart(seen)} instead of ` +
          `${describeCart(expected)}`,
        this.lastStep,
      );
    }
  }

  async checkout(): Promise<{ id: string; totalCents: number }> {
    return (await this.expect(201, "POST", "/checkout")).body.order;
  }

  /** The credentials this browser holds, to replay them elsewhere later. */
  async credentials(): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    const cookies = await this.jar.getCookieString(this.baseUrl);
    if (cookies) headers.cookie = cookies;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return headers;
  }
}

/** A body that is not JSON (a proxy's HTML error page, say) is reported by its status alone. */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function quantities(items: { sku: string; quantity: number }[]): CartQuantities {
  return Object.fromEntries(items.map((item) => [item.sku, item.quantity]));
}

export function describeCart(cart: CartQuantities): string {
  const lines = Object.entries(cart).sort(([a], [b]) => a.localeCompare(b));
  return lines.length === 0 ? "nothing" : lines.map(([sku, quantity]) => `${quantity}× ${sku}`).join(", ");
}

const EXPLANATIONS: Record<string, (name: string) => string> = {
  UNKNOWN_SESSION: (name) => `this server never saw ${name}'s session`,
  NOT_LOGGED_IN: (name) => `${name}'s request carried no session`,
  SESSION_ENDED: (name) => `${name}'s session record is gone`,
  STORE_UNAVAILABLE: () => "the state store did not answer",
  NO_BACKEND: () => "no live server behind the balancer",
  BAD_GATEWAY: () => "the server failed mid-request",
  NO_ANSWER: () => "no answer at all",
  TOO_MANY_ATTEMPTS: (name) => `too many failed logins for ${name} lately: locked out for a while`,
  INSUFFICIENT_CREDIT: (name) =>
    `${name}'s store credit has run out on this stack (a fresh database starts every demo user at $100.00 again)`,
};

/** Why a user got an error code, in plain words (undefined for codes that explain themselves). */
export function explain(code: string | undefined, name: string): string | undefined {
  return code && EXPLANATIONS[code] ? EXPLANATIONS[code](name) : undefined;
}

/** One request as the story goes: `Alice → balancer → stateful-2: GET /cart → 401 UNKNOWN_SESSION — …`. */
export function narrateStep({ shopper, request, instance, status, code }: Step): string {
  const route = instance === "balancer" ? `${shopper} → balancer` : `${shopper} → balancer → ${instance}`;
  const answer = status === 0 ? "no answer" : `${status}${code ? ` ${code}` : ""}`;
  const why = explain(code, shopper.replace(/ #\d+$/, ""));
  return `${route}: ${request} → ${answer}${why ? ` — ${why}` : ""}`;
}

export function describeFailure(
  name: string,
  request: string,
  reply: Pick<Reply, "status" | "body" | "instance">,
): string {
  const code = reply.body?.error?.code as string | undefined;
  const explained = explain(code, name);
  const message = reply.body?.error?.message ?? "unexpected answer";
  const why = code === "NO_ANSWER" ? `${explained} (${message})` : (explained ?? message);
  return `${request} on ${reply.instance} → ${reply.status}${code ? ` ${code}` : ""}: ${why}`;
}
