// One side of the dashboard: an app's cluster behind its balancer, the shopper Alice who clicks
// through it, and what the page shows of it: servers up or down, the sessions each holds in
// memory, the requests each served, Alice's cart as she last saw it, her store credit as each
// server says it when asked, and her avatar as each server serves it after she uploads one; and
// Dave's orders in the kitchen, with what each server's kitchen holds.
import { fingerprint, freshAvatar } from "../journeys/avatars";
import { Chatter } from "../journeys/chatter";
import { clusterControl } from "../journeys/control/cluster-control";
import type { Control } from "../journeys/control/control";
import { narrateStep, Shopper, type Reply } from "../journeys/shopper";
import { JourneyFailure, storeTimes, type Step } from "../journeys/steps";
import type { SharedStoreFault } from "../rig/shared-store-fault";
import type { Stack } from "../rig/stack";
import { byNumber } from "../util";
import type { Architecture, BalancerKind, RoutingPolicy } from "../vocabulary";
import type {
  AnswerView,
  AvatarAnswerView,
  ChatAction,
  InstanceView,
  KitchenAction,
  LogTone,
  PlayResultView,
  RequestTrace,
  ShopperAction,
  ShopperView,
  SideView,
  StoreView,
  WalletAnswerView,
} from "./dashboard-state";
import { avatarAt, walletAt } from "./direct-asks";
import { WorkshopChat } from "./workshop-chat";
import { WorkshopKitchen } from "./workshop-kitchen";

const HEALTH_TIMEOUT_MS = 800;

/** What the side's page shows of one server's /healthz. */
interface Health {
  readonly sessionsInMemory: number;
  readonly kitchen: { readonly queue: string; readonly waiting: number; readonly cooking: number };
}

/** What Alice's buttons send, but for logging in (the shopper's own `login()`). */
const SHOPPING: Record<
  Exclude<ShopperAction, "login" | "ask-wallets" | "upload-avatar">,
  { method: string; path: string; body?: unknown }
> = {
  "add-pepperoni-pizza": { method: "POST", path: "/cart/items", body: { sku: "pepperoni-pizza", quantity: 1 } },
  "add-mushrooms": { method: "POST", path: "/cart/items", body: { sku: "mushrooms", quantity: 1 } },
  "add-coke": { method: "POST", path: "/cart/items", body: { sku: "coke", quantity: 1 } },
  "view-cart": { method: "GET", path: "/cart" },
  checkout: { method: "POST", path: "/checkout" },
};

export class WorkshopSide {
  readonly control: Control;
  readonly alice: Shopper;
  readonly chat: WorkshopChat;
  readonly kitchen: WorkshopKitchen;
  lastPlay: PlayResultView | null = null;
  private readonly served = new Map<string, number>();
  /** Each server's last /healthz; null while it does not answer. */
  private readonly health = new Map<string, Health | null>();
  private lastServedBy: string | undefined;
  private aliceView: Omit<ShopperView, "name"> = { loggedIn: false, cart: null, lastAnswer: null };
  private wallets: WalletAnswerView[] | null = null;
  private avatars: AvatarAnswerView[] | null = null;
  private lastAliceStep: Step | undefined;

  constructor(
    readonly app: Architecture,
    readonly stack: Stack,
    private readonly lb: BalancerKind,
    private readonly log: (text: string, tone: LogTone, request?: RequestTrace) => void,
  ) {
    this.control = clusterControl({
      stack,
      storeFault: undefined, // the workshop freezes its Redis itself, for both sides at once
      fault: (what) => log(what, "fault"),
      release: async () => {},
    });
    const url = stack.balancer.url;
    this.alice = new Shopper("Alice", "alice", url, (step) => {
      this.lastAliceStep = step;
      this.record(step);
    });
    // Alice and Bob chat from browsers of their own, beside the shopping Alice.
    const record = (step: Step) => this.record(step);
    this.chat = new WorkshopChat(
      app,
      {
        shopper: (name, user = "alice") => new Shopper(name, user, url, record),
        chat: (shopper) => Chatter.open(shopper, url, record),
        instanceIds: () => stack.cluster.ids,
        note: () => undefined,
      },
      log,
    );
    this.kitchen = new WorkshopKitchen(new Shopper("Dave", "dave", url, record), url, log);
  }

  /** A kitchen button on this side: Dave orders, or the server cooking his order is killed. */
  async kitchenAction(action: KitchenAction): Promise<void> {
    if (action === "kitchen-order") return this.kitchen.order();
    // The server cooking Dave's latest order, else any server whose kitchen is cooking.
    const { cluster } = this.stack;
    const cooking = cluster.ids.find((id) => (this.health.get(id)?.kitchen.cooking ?? 0) > 0);
    const busy = [this.kitchen.busyServer, cooking].find((id) => id && cluster.running(id));
    if (busy) return this.control.kill(busy);
    this.log("No server's kitchen is cooking now: nothing to kill (order first).", "info");
  }

  /** A chat button on this side. */
  async chatAction(action: ChatAction): Promise<void> {
    if (action === "chat-connect") return this.chat.connect();
    if (action === "chat-write") return this.chat.aliceWrites();
    if (action === "chat-type") return this.chat.aliceTypes();
    const bobs = this.chat.bobsServer;
    if (bobs && this.stack.cluster.running(bobs)) return this.control.kill(bobs);
    this.log(bobs ? `${bobs}, Bob's server, is already down.` : "Bob is not in the chat yet: connect first.", "info");
  }

  /** Every request of this side, Alice's or a replayed journey's: counted, and told in the log. */
  record(step: Step): void {
    if (step.instance !== "balancer") {
      this.served.set(step.instance, (this.served.get(step.instance) ?? 0) + 1);
      this.lastServedBy = step.instance;
    }
    const ok = (step.status >= 200 && step.status < 300) || step.status === 101; // 101: a chat socket opened
    const stores = (step.stores ?? []).map(({ store, ms }) => ({ store, ms }));
    this.log(`${narrateStep(step)}${storeTimes(step)}`, ok ? "ok" : "error", {
      instance: step.instance,
      status: step.status,
      stores,
    });
  }

  /** The server that answered last, if it still runs: the one a "kill" button aims at. */
  get lastServer(): string | undefined {
    const last = this.lastServedBy;
    return last && this.stack.cluster.running(last) ? last : undefined;
  }

  async shop(action: ShopperAction): Promise<void> {
    if (action === "ask-wallets") return this.askWallets();
    this.lastAliceStep = undefined;
    let reply: Reply | undefined;
    if (action === "upload-avatar") {
      const picture = freshAvatar();
      reply = await this.alice.send("PUT", "/me/avatar", picture);
      this.see(action, reply);
      return this.askForAvatar(reply.status === 200 ? fingerprint(picture) : undefined);
    }
    if (action === "login") {
      // The shopper's own login keeps the bearer token the stateless app hands out. A refused
      // login is already in the log, and in Alice's last answer.
      await this.alice.login().catch((error: unknown) => {
        if (!(error instanceof JourneyFailure)) throw error;
      });
    } else {
      const { method, path, body } = SHOPPING[action];
      reply = await this.alice.send(method, path, body);
    }
    this.see(action, reply);
  }

  /** Alice's view after an answer: logged in or not, her cart, what the last answer said. */
  private see(action: ShopperAction, reply: Reply | undefined): void {
    const step = this.lastAliceStep;
    if (!step) return;
    const { status } = step;
    const answer: AnswerView = {
      request: step.request,
      instance: step.instance,
      status,
      ...(step.code && { code: step.code }),
      text: narrateStep(step),
    };
    let { loggedIn, cart } = this.aliceView;
    if (status === 401) [loggedIn, cart] = [false, null];
    else if (action === "login" && status === 200) [loggedIn, cart] = [true, null];
    else if (action === "checkout" && status === 201) cart = { lines: [], totalCents: 0 };
    else if (status === 200 && reply && Array.isArray(reply.body?.items)) cart = cartOf(reply.body);
    this.aliceView = { loggedIn, cart, lastAnswer: answer };
  }

  /** Alice asks every running server directly for her credit (see direct-asks.ts). */
  private async askWallets(): Promise<void> {
    this.wallets = await Promise.all(this.runningUrls().map(([id, url]) => walletAt(id, url, this.log)));
  }

  /** A visitor asks every running server directly for Alice's avatar (see direct-asks.ts). */
  private async askForAvatar(uploaded: string | undefined): Promise<void> {
    this.avatars = await Promise.all(this.runningUrls().map(([id, url]) => avatarAt(id, url, uploaded, this.log)));
  }

  /** The servers running now, in order, with their own addresses (not the balancer's). */
  private runningUrls(): [id: string, url: string][] {
    const { cluster } = this.stack;
    return cluster.ids
      .filter((id) => cluster.running(id))
      .sort(byNumber)
      .map((id) => [id, cluster.url(id)]);
  }

  /** Asks every running instance for its /healthz (up or not, its sessions, its kitchen), and Dave for his orders. */
  async poll(): Promise<void> {
    const { cluster } = this.stack;
    const servers = cluster.ids.map(async (id) => {
      if (!cluster.running(id)) return void this.health.set(id, null);
      const health = await fetch(`${cluster.url(id)}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) })
        .then((response) => (response.ok ? (response.json() as Promise<Health>) : undefined))
        .catch(() => undefined);
      this.health.set(id, health ?? null);
    });
    await Promise.all([...servers, this.kitchen.poll()]);
  }

  view(store: StoreView | null): SideView {
    const { cluster, balancer } = this.stack;
    return {
      app: this.app,
      balancer: { kind: this.lb === "builtin" ? "built-in balancer" : "HAProxy", policy: balancer.policy },
      instances: [...cluster.ids].sort(byNumber).map((id): InstanceView => {
        const health = cluster.running(id) ? (this.health.get(id) ?? null) : null;
        return {
          id,
          up: health !== null,
          sessionsInMemory: health?.sessionsInMemory ?? null,
          served: this.served.get(id) ?? 0,
          kitchen: health && { waiting: health.kitchen.waiting, cooking: health.kitchen.cooking },
        };
      }),
      store,
      shopper: { name: this.alice.name, ...this.aliceView },
      wallets: this.wallets,
      avatars: this.avatars,
      chat: this.chat.view(),
      kitchen: this.kitchen.view(this.kitchenQueue()),
      lastPlay: this.lastPlay,
    };
  }

  /** Where the servers say their kitchen's queue lives. */
  private kitchenQueue(): string | null {
    return [...this.health.values()].find((health) => health)?.kitchen.queue ?? null;
  }

  /**
   * The control a replayed journey gets: this side's stack, with the routing the journey asks
   * for (no-stickiness turns stickiness off) until the journey ends.
   */
  async replayControl(
    policy: RoutingPolicy,
    storeFault: SharedStoreFault | undefined,
    fault: (what: string) => void,
  ): Promise<Control> {
    const { balancer } = this.stack;
    const before = balancer.policy;
    await balancer.setPolicy(policy);
    return clusterControl({ stack: this.stack, storeFault, fault, release: () => balancer.setPolicy(before) });
  }
}

function cartOf(body: { items: { name: string; quantity: number; lineTotalCents: number }[]; totalCents: number }) {
  return {
    lines: body.items.map(({ name, quantity, lineTotalCents }) => ({ name, quantity, lineTotalCents })),
    totalCents: body.totalCents,
  };
}
