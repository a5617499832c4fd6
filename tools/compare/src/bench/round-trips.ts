// Every route of the contract asked once, as one user, in a user's order (log in, shop, pay, look at
// orders and credit, the avatar, the chat's reads, log out), and what each answer's Server-Timing
// says it cost: each store's operations, and the round trips made one after another (calls made at
// the same time count once). Each is counted on the second pass: the first one warms what a server
// does once (the job queue reads its settings at its first job). The table the docs show and the
// test holds the stateless app to is ROUTE_CALLS' (round-trip-table.ts).
import { readServerTiming } from "@cart/http-kit";
import { freshAvatar } from "../journeys/avatars";
import { DEMO_PASSWORDS } from "../rig/demo-logins";
import { ROUTE_CALLS, type RouteCall } from "./round-trip-table";

export interface CountedRoute {
  readonly route: string;
  /** Operations per store, as Server-Timing names them (memory and disk are no round trip). */
  readonly stores: Readonly<Record<string, number>>;
  readonly inSequence: number;
}

/** The one user of the count: dave, whose credit never runs out however often it is run. */
const USER = "dave";

/** Asks every route at `url` (an instance of either app) twice; the second pass's counts. */
export async function countRoundTrips(url: string): Promise<CountedRoute[]> {
  await pass(url);
  return pass(url);
}

async function pass(url: string): Promise<CountedRoute[]> {
  const context = { cookie: "", orderId: "" };
  const counted: CountedRoute[] = [];
  for (const call of ROUTE_CALLS) {
    if (call.before) for (const step of call.before) await send(url, step, context);
    const response = await send(url, call, context);
    const timing = readServerTiming(response.headers.get("server-timing"));
    counted.push({
      route: call.route,
      stores: Object.fromEntries(timing.stores.map(({ store, operations }) => [store, operations])),
      inSequence: timing.roundTripsInSequence ?? Number.NaN,
    });
  }
  return counted;
}

type Step = Pick<RouteCall, "method" | "path" | "body" | "status">;

async function send(url: string, step: Step, context: { cookie: string; orderId: string }): Promise<Response> {
  const path = step.path.replace(":id", USER).replace(":orderId", context.orderId);
  const body =
    step.body === "avatar"
      ? freshAvatar()
      : step.body === "password"
        ? JSON.stringify({ username: USER, password: DEMO_PASSWORDS[USER] })
        : step.body && JSON.stringify(step.body);
  const type = step.body === "avatar" ? "image/png" : "application/json";
  const response = await fetch(`${url}${path}`, {
    method: step.method,
    headers: { ...(context.cookie && { cookie: context.cookie }), ...(body && { "content-type": type }) },
    ...(body && { body }),
  });
  const text = await response.text();
  if (response.status !== step.status)
    throw new Error(`${step.method} ${path} at ${url} → ${response.status} (expected ${step.status}): ${text}`);
  const cookies = response.headers.getSetCookie().map((header) => header.split(";")[0]);
  if (cookies.length > 0) context.cookie = cookies.join("; ");
  if (step.method === "POST" && path === "/checkout")
    context.orderId = (JSON.parse(text) as { order: { id: string } }).order.id;
  return response;
}
