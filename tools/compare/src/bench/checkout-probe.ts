// What a checkout costs each app, apart from the mix: one user at a time straight to one instance,
// a Coke added, then the checkout timed. The stateful app pays from the wallet in its memory; the
// stateless one asks Redis for the cart's order id, pays in one PostgreSQL transaction (the order,
// the conditional debit, the ledger line), then settles the cart in Redis. Each answer's
// Server-Timing says where that time went, store by store.
import { readServerTiming } from "@cart/http-kit";
import { percentile, round } from "../util";

/** How many checkouts each app's probe times. */
export const CHECKOUTS = 200;

export interface CheckoutProbe {
  readonly checkouts: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Checkouts that did not answer 201 (none expected: the bench's users are the big spenders). */
  readonly failed: number;
  /** Per store the app used (its Server-Timing): the time a checkout spent there (p50), and its operations. */
  readonly stores: Record<string, { readonly p50Ms: number; readonly operations: number }>;
}

/** Times CHECKOUTS checkouts at `url`, the users (their Cookie headers) in turns. */
export async function probeCheckout(url: string, users: readonly string[]): Promise<CheckoutProbe> {
  const times: number[] = [];
  const inStores = new Map<string, { ms: number[]; operations: number }>();
  let failed = 0;
  for (let n = 0; n < CHECKOUTS; n++) {
    const headers = { cookie: users[n % users.length]!, "content-type": "application/json" };
    const added = await fetch(`${url}/cart/items`, {
      method: "POST",
      headers,
      body: JSON.stringify({ sku: "coke", quantity: 1 }),
    });
    await added.body?.cancel();
    const started = performance.now();
    const checkout = await fetch(`${url}/checkout`, { method: "POST", headers: { cookie: headers.cookie } });
    await checkout.body?.cancel();
    if (checkout.status !== 201) {
      failed++;
      continue;
    }
    times.push(performance.now() - started);
    for (const { store, ms, operations } of readServerTiming(checkout.headers.get("server-timing")).stores) {
      const seen = inStores.get(store) ?? { ms: [], operations };
      seen.ms.push(ms);
      inStores.set(store, seen);
    }
  }
  const stores = Object.fromEntries(
    [...inStores].map(([name, { ms, operations }]) => [name, { p50Ms: round(percentile(ms, 50)), operations }]),
  );
  return {
    checkouts: times.length,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    failed,
    stores,
  };
}
