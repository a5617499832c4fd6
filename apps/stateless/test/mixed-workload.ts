// What the shop's users do while its stores fail under them (store-faults.test.ts): Dave and Erin
// check out pizzas that the kitchen cooks, Alice keeps setting a line of her cart, Frank replaces
// his avatar and reads it back, and Bob and Carol chat across the two servers. Every answer is
// judged as it comes (judged-client.ts), and every write the shop acknowledged is remembered, so
// that `check` can look for it once the stores are back; a write it refused may have landed too.
import { JPEG, PNG, WEBP } from "@cart/contract-suite";
import type { Order } from "@cart/domain";
import { setTimeout as sleep } from "node:timers/promises";
import { JudgedClient } from "./judged-client";
import { Chatter } from "./workload-chatter";

const STARTING_CENTS = 100_000_000; // Dave's and Erin's $1,000,000.00
const IMAGES = [PNG, JPEG, WEBP];
const SHOPPING_MS = 250;

/** The last value a write was acknowledged with, and those tried since (refused, but they may have landed). */
class LastWrite<T> {
  private acked: T | undefined;
  private since: T[] = [];

  record(value: T, acknowledged: boolean): void {
    if (acknowledged) [this.acked, this.since] = [value, []];
    else this.since.push(value);
  }

  /** What the store may hold now. */
  possible(): T[] {
    return [...(this.acked === undefined ? [] : [this.acked]), ...this.since];
  }
}

export class MixedWorkload {
  readonly client: JudgedClient;
  private readonly tokens = new Map<string, string>();
  private readonly orders = new Map<string, Order[]>([
    ["dave", []],
    ["erin", []],
  ]);
  private readonly cokes = new LastWrite<number>();
  private readonly avatar = new LastWrite<Buffer>();
  private readonly chatters: Chatter[] = [];
  private loops: Promise<void>[] = [];
  private paused: Promise<void> | undefined;
  private parked = 0;
  private wake: () => void = () => undefined;
  private stopping = false;

  constructor(servers: readonly string[]) {
    this.client = new JudgedClient(servers);
  }

  /** Everyone logs in and sets up what later writes change (a cart line, an avatar); then they start. */
  async start(): Promise<void> {
    for (const user of ["dave", "erin", "alice", "frank", "bob", "carol"])
      this.tokens.set(user, await this.client.logIn(user));
    await this.client.call("POST", "/cart/items", this.token("alice"), { sku: "coke", quantity: 1 });
    this.cokes.record(1, true);
    await this.client.call("PUT", "/me/avatar", this.token("frank"), IMAGES[0]);
    this.avatar.record(IMAGES[0]!, true);
    const [first, second] = this.client.servers;
    this.chatters.push(
      new Chatter("bob", "carol", first!, this.token("bob")),
      new Chatter("carol", "bob", second!, this.token("carol")),
    );
    await Promise.all(this.chatters.map((chatter) => chatter.connect(this.client.problems)));
    this.loops = [
      this.loop(() => this.shop("dave")),
      this.loop(() => this.shop("erin")),
      this.loop(() => this.setCokes()),
      this.loop(() => this.replaceAvatar()),
      ...this.chatters.map((chatter) => this.loop(() => chatter.step(this.client.problems))),
    ];
  }

  /** Resolves once every user has finished what they were doing and waits. */
  async pause(): Promise<void> {
    this.paused = new Promise((resolve) => (this.wake = resolve));
    while (this.parked < this.loops.length) await sleep(20);
  }

  resume(): void {
    this.paused = undefined;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.resume();
    await Promise.all(this.loops);
    for (const chatter of this.chatters) chatter.close();
  }

  /** Every acknowledged write, looked for (the workload paused, the stores back): what is missing, in words. */
  async check(): Promise<string[]> {
    const missing: string[] = [];
    for (const [user, acked] of this.orders) {
      const { body } = await this.client.call("GET", "/orders", this.token(user));
      const orders = body.orders as Order[];
      const known = new Set(orders.map((order) => order.id));
      for (const order of acked) if (!known.has(order.id)) missing.push(`${user}'s order ${order.id} is gone`);
      const wallet = await this.client.call("GET", "/wallet", this.token(user));
      const spent = orders.reduce((sum, order) => sum + order.totalCents, 0);
      if (wallet.body.balanceCents !== STARTING_CENTS - spent)
        missing.push(
          `${user}'s balance ${wallet.body.balanceCents} is not $1,000,000.00 less ${spent} cents of orders`,
        );
    }
    const cart = await this.client.call("GET", "/cart", this.token("alice"));
    const cokes = (cart.body.items as { sku: string; quantity: number }[]).find((item) => item.sku === "coke");
    if (!this.cokes.possible().includes(cokes?.quantity ?? 0))
      missing.push(`Alice's cart holds ${cokes?.quantity ?? 0} cokes, not one of ${this.cokes.possible().join(", ")}`);
    const avatar = await this.client.call("GET", "/users/frank/avatar");
    const bytes = Buffer.isBuffer(avatar.body) ? avatar.body : undefined;
    if (!this.avatar.possible().some((image) => bytes?.equals(image))) {
      const got = bytes ? `${bytes.length} bytes` : JSON.stringify(avatar.body);
      missing.push(`Frank's avatar is not the last one he uploaded: ${avatar.status}, ${got}`);
    }
    for (const chatter of this.chatters) missing.push(...(await chatter.check(this.client)));
    return missing;
  }

  /** The orders Dave and Erin were told were placed, as the shop shows them now. */
  async ordersNow(): Promise<Order[]> {
    const all: Order[] = [];
    for (const user of this.orders.keys())
      all.push(...((await this.client.call("GET", "/orders", this.token(user))).body.orders as Order[]));
    return all;
  }

  private token(user: string): string {
    return this.tokens.get(user)!;
  }

  private async loop(step: () => Promise<void>): Promise<void> {
    while (!this.stopping) {
      if (this.paused) {
        this.parked++;
        await this.paused;
        this.parked--;
        continue;
      }
      await step();
      await sleep(50);
    }
  }

  /** A shopper's order, about three a second: the kitchen's four workers cook more than the two order. */
  private async shop(user: string): Promise<void> {
    await sleep(SHOPPING_MS);
    const added = await this.client.call("POST", "/cart/items", this.token(user), {
      sku: "margherita-pizza",
      quantity: 1,
    });
    if (added.status !== 200) return;
    const checkout = await this.client.call("POST", "/checkout", this.token(user));
    if (checkout.status === 201) this.orders.get(user)!.push(checkout.body.order as Order);
  }

  private cokeWrites = 0;
  private async setCokes(): Promise<void> {
    const quantity = (++this.cokeWrites % 99) + 1;
    const { status } = await this.client.call("PATCH", "/cart/items/coke", this.token("alice"), { quantity });
    this.cokes.record(quantity, status === 200);
  }

  private uploads = 0;
  private async replaceAvatar(): Promise<void> {
    const image = IMAGES[++this.uploads % IMAGES.length]!;
    const { status } = await this.client.call("PUT", "/me/avatar", this.token("frank"), image);
    this.avatar.record(image, status === 200);
    await this.client.call("GET", "/users/frank/avatar");
  }
}
