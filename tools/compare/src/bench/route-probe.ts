// Each route on its own, one request at a time, straight to one instance: what a user waits for
// when nothing else runs, and the store round trips the route made on the way (its Server-Timing).
// At a distance each round trip made one after the other pays the distance once: these are the
// figures that grow with it (distance-bench.ts). The chat's message goes from a socket on the first
// instance to one on the second, and is timed until it arrives (a frame has no Server-Timing).
import { readServerTiming, type ServerTiming } from "@cart/http-kit";
import WebSocket from "ws";
import { freshAvatar } from "../journeys/avatars";
import { DEMO_PASSWORDS, logIn, type DemoUser } from "../rig/demo-logins";
import { percentile, round, sleep } from "../util";
import { addOne } from "./checkout-probe";

export const PROBED_ROUTES = [
  "login",
  "cart read",
  "add to cart",
  "checkout (a Coke)",
  "orders",
  "avatar read",
  "chat to another server",
] as const;
export type ProbedRoute = (typeof PROBED_ROUTES)[number];

export interface RouteFigures {
  readonly route: ProbedRoute;
  /** Answers timed (a chat message: copies that arrived). */
  readonly samples: number;
  /** Requests that did not get their success answer (a chat message: copies that never arrived). */
  readonly failed: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** Operations per store, the median of the answers (null: the route has no Server-Timing). */
  readonly roundTrips: Readonly<Record<string, number>> | null;
  /** Of those, the round trips made one after another (the median; null without Server-Timing). */
  readonly inSequence: number | null;
}

/** The chat allows 10 frames a second on a connection: the probe writes a little slower. */
const CHAT_GAP_MS = 110;
/** A chat message not delivered in this long never will be. */
const CHAT_TIMEOUT_MS = 2000;
/** Messages tried before the first that must arrive (Bob's presence spreading to Alice's server). */
const WARM_UP_ATTEMPTS = 10;

/** Samples of every route, gathered over several probes (a repetition each) and summarised once. */
export class RouteSamples {
  private readonly times = new Map<ProbedRoute, number[]>();
  private readonly failures = new Map<ProbedRoute, number>();
  private readonly trips = new Map<ProbedRoute, Map<string, number[]>>();
  private readonly sequences = new Map<ProbedRoute, number[]>();

  timed(route: ProbedRoute, ms: number, timing?: ServerTiming): void {
    this.times.set(route, [...(this.times.get(route) ?? []), ms]);
    if (!timing) return;
    const seen = this.trips.get(route) ?? new Map<string, number[]>();
    for (const { store, operations } of timing.stores) seen.set(store, [...(seen.get(store) ?? []), operations]);
    this.trips.set(route, seen);
    const inSequence = timing.roundTripsInSequence;
    if (inSequence !== undefined) this.sequences.set(route, [...(this.sequences.get(route) ?? []), inSequence]);
  }

  failed(route: ProbedRoute): void {
    this.failures.set(route, (this.failures.get(route) ?? 0) + 1);
  }

  summary(): RouteFigures[] {
    return PROBED_ROUTES.map((route) => {
      const times = this.times.get(route) ?? [];
      const trips = this.trips.get(route);
      const sequences = this.sequences.get(route);
      return {
        route,
        samples: times.length,
        failed: this.failures.get(route) ?? 0,
        p50Ms: times.length ? round(percentile(times, 50)) : null,
        p99Ms: times.length ? round(percentile(times, 99)) : null,
        roundTrips: trips
          ? Object.fromEntries([...trips].map(([store, counts]) => [store, percentile(counts, 50)]))
          : null,
        inSequence: sequences ? percentile(sequences, 50) : null,
      };
    });
  }
}

/**
 * `probes` requests of each route at `first` (an instance's URL), one at a time, into `samples`;
 * the chat's to a user on `second`. As alice (reads, her avatar, her one order), dave (adds and
 * checkouts: his credit never runs out) and bob (the chat's recipient).
 */
export async function probeRoutes(first: string, second: string, probes: number, samples: RouteSamples) {
  const alice = await logIn(first, "alice");
  const dave = await logIn(first, "dave");
  await prepare(first, alice);
  const timedRequest = async (route: ProbedRoute, url: string, init: RequestInit, expected = 200) => {
    const started = performance.now();
    const response = await fetch(url, init);
    await response.arrayBuffer();
    if (response.status !== expected) return samples.failed(route);
    samples.timed(route, performance.now() - started, readServerTiming(response.headers.get("server-timing")));
  };
  const json = (body: unknown) => ({ "content-type": "application/json", body: JSON.stringify(body) });
  for (let n = 0; n < probes; n++) {
    const { body, ...headers } = json({ username: "alice", password: DEMO_PASSWORDS.alice });
    await timedRequest("login", `${first}/auth/login`, { method: "POST", headers, body });
  }
  for (let n = 0; n < probes; n++) await timedRequest("cart read", `${first}/cart`, { headers: { cookie: alice } });
  for (let n = 0; n < probes; n++) {
    // One Coke added and checked out each time: the cart never grows, every checkout pays for one.
    const { body, ...type } = json({ sku: "coke", quantity: 1 });
    const headers = { cookie: dave, ...type };
    await timedRequest("add to cart", `${first}/cart/items`, { method: "POST", headers, body });
    await timedRequest("checkout (a Coke)", `${first}/checkout`, { method: "POST", headers: { cookie: dave } }, 201);
  }
  for (let n = 0; n < probes; n++) await timedRequest("orders", `${first}/orders`, { headers: { cookie: alice } });
  for (let n = 0; n < probes; n++) await timedRequest("avatar read", `${first}/users/alice/avatar`, {});
  await probeChat(first, second, probes, samples);
}

/** Alice's avatar uploaded, and one order of hers to read (placed once, the first time). */
async function prepare(url: string, alice: string): Promise<void> {
  const avatar = await fetch(`${url}/me/avatar`, {
    method: "PUT",
    headers: { cookie: alice, "content-type": "image/png" },
    body: freshAvatar(),
  });
  await avatar.arrayBuffer();
  if (avatar.status !== 200) throw new Error(`PUT /me/avatar at ${url} → ${avatar.status}`);
  const orders = (await (await fetch(`${url}/orders`, { headers: { cookie: alice } })).json()) as { orders: unknown[] };
  if (orders.orders.length > 0) return;
  await addOne(url, alice, "coke");
  const checkout = await fetch(`${url}/checkout`, { method: "POST", headers: { cookie: alice } });
  await checkout.arrayBuffer();
  if (checkout.status !== 201) throw new Error(`POST /checkout at ${url} (alice's one order) → ${checkout.status}`);
}

/** Alice on `first` writes to Bob on `second`, `probes` times: each message timed from send to arrival. */
async function probeChat(first: string, second: string, probes: number, samples: RouteSamples): Promise<void> {
  const route = "chat to another server";
  const alice = await openChat(first, await logIn(first, "alice"));
  const bob = await openChat(second, await logIn(second, "bob"));
  try {
    // Bob's presence takes a moment to reach every server: the first message that arrives starts the count.
    let reached = false;
    for (let attempt = 0; attempt < WARM_UP_ATTEMPTS && !reached; attempt++) {
      await sleep(CHAT_GAP_MS);
      reached = await delivered(alice, bob, `warm-up ${attempt}`);
    }
    for (let n = 0; n < probes; n++) {
      if (!reached) {
        samples.failed(route);
        continue;
      }
      await sleep(CHAT_GAP_MS);
      const started = performance.now();
      if (await delivered(alice, bob, `probe ${n}`)) samples.timed(route, performance.now() - started);
      else samples.failed(route);
    }
  } finally {
    alice.close();
    bob.close();
  }
}

function openChat(url: string, cookie: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/chat`, { headers: { cookie } });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * Sends `text` from `from` to bob, and whether bob's socket `to` got it: false at once when the
 * sender's server answers with an error frame (the stateful one cannot reach another server's
 * socket), or after CHAT_TIMEOUT_MS.
 */
function delivered(from: WebSocket, to: WebSocket, text: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const settle = (outcome: boolean) => {
      clearTimeout(timer);
      to.off("message", onArrival);
      from.off("message", onRefusal);
      resolve(outcome);
    };
    const onArrival = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { type: string; text?: string };
      if (frame.type === "message" && frame.text === text) settle(true);
    };
    const onRefusal = (data: WebSocket.RawData) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === "error") settle(false);
    };
    const timer = setTimeout(() => settle(false), CHAT_TIMEOUT_MS);
    to.on("message", onArrival);
    from.on("message", onRefusal);
    from.send(JSON.stringify({ type: "send", to: "bob" satisfies DemoUser, text }));
  });
}
