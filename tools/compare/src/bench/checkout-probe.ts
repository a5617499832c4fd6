// What a checkout costs each app, apart from the mix: one user at a time straight to one instance,
// an item added, then the checkout timed. The stateful app pays from the wallet in its memory; the
// stateless one asks Redis for the cart's order id, pays in one PostgreSQL transaction sent in one
// round trip (the order with its debit and ledger line, and the kitchen's job if there is anything
// to cook), then settles the cart in Redis. Each answer's Server-Timing says where that time went,
// store by store.
import { readServerTiming, type StoreTiming } from "@cart/http-kit";
import { percentile, round } from "../util";

/** How many checkouts each app's probe times. */
export const CHECKOUTS = 200;

export interface CheckoutProbe {
  readonly checkouts: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Checkouts that did not answer 201 (none expected: the bench's users are the big spenders). */
  readonly failed: number;
  /**
   * Per store the app used (its Server-Timing): the time a checkout spent there, and its operations
   * (round trips), each the median of the checkouts (a server's first kitchen job makes more: pg-boss
   * reads the queue's settings once).
   */
  readonly stores: Record<string, { readonly p50Ms: number; readonly operations: number }>;
}

/** The checkouts of one probe, as they come. */
export class CheckoutTimes {
  private readonly times: number[] = [];
  private readonly inStores = new Map<string, { ms: number[]; operations: number[] }>();
  private failed = 0;

  /**
   * Adds one of `sku` to the cart of the user whose Cookie header is `cookie`, then times the
   * checkout at `url` (a drink has nothing to cook: no job; a pizza goes to the kitchen).
   */
  async checkOut(url: string, cookie: string, sku = "coke"): Promise<void> {
    await addOne(url, cookie, sku);
    const started = performance.now();
    const checkout = await fetch(`${url}/checkout`, { method: "POST", headers: { cookie } });
    await checkout.body?.cancel();
    if (checkout.status !== 201) {
      this.failed++;
      return;
    }
    this.times.push(performance.now() - started);
    for (const use of readServerTiming(checkout.headers.get("server-timing")).stores) this.record(use);
  }

  summary(): CheckoutProbe {
    const stores = Object.fromEntries(
      [...this.inStores].map(([name, { ms, operations }]) => [
        name,
        { p50Ms: round(percentile(ms, 50)), operations: percentile(operations, 50) },
      ]),
    );
    return {
      checkouts: this.times.length,
      p50Ms: round(percentile(this.times, 50)),
      p99Ms: round(percentile(this.times, 99)),
      failed: this.failed,
      stores,
    };
  }

  private record({ store, ms, operations }: StoreTiming): void {
    const seen = this.inStores.get(store) ?? { ms: [], operations: [] };
    seen.ms.push(ms);
    seen.operations.push(operations);
    this.inStores.set(store, seen);
  }
}

/** Adds one of `sku` to the cart of the user whose Cookie header is `cookie`, at `url`. */
export async function addOne(url: string, cookie: string, sku: string): Promise<void> {
  const added = await fetch(`${url}/cart/items`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ sku, quantity: 1 }),
  });
  await added.body?.cancel();
}

/** Times CHECKOUTS checkouts of a Coke at `url`, the users (their Cookie headers) in turns. */
export async function probeCheckout(url: string, users: readonly string[]): Promise<CheckoutProbe> {
  const times = new CheckoutTimes();
  for (let n = 0; n < CHECKOUTS; n++) await times.checkOut(url, users[n % users.length]!);
  return times.summary();
}
