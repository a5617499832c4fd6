// One side's kitchen on the dashboard: Dave orders meals through the balancer (those requests are
// in the log), and the page follows his orders with GET /orders on each poll, sent with his
// credentials but not logged (twice a second, it would drown the log). The server cooking one of
// them is the one "kill the busy server" aims at: on the stateful side Dave's orders, his session
// and their queue die with it (he logs in again, as he would, and no server knows his orders); on
// the stateless side another server's worker gets the job again.
import { placeOrderAgain, type KitchenOrder } from "../journeys/kitchen";
import { describeFailure, type Shopper } from "../journeys/shopper";
import { JourneyFailure } from "../journeys/steps";
import {
  KITCHEN_MEALS,
  KITCHEN_PIZZAS,
  type KitchenOrderView,
  type KitchenView,
  type LogTone,
} from "./dashboard-state";

const ASK_TIMEOUT_MS = 800;

export class WorkshopKitchen {
  /** Dave's orders placed from the dashboard, in order. */
  private readonly placed: string[] = [];
  private readonly seen = new Map<string, KitchenOrder>();
  /** The ids in the last answer to GET /orders: an order placed before it was asked and missing from it is gone. */
  private listed = new Set<string>();
  /** How many of `placed` had been placed when the last answer was asked for: the later ones may not be in it yet. */
  private listedOf = 0;
  private answer: string | null = null;
  private answeredBy: string | null = null;
  private loggedIn = false;
  private ordering = false;

  constructor(
    private readonly dave: Shopper,
    private readonly balancerUrl: string,
    private readonly log: (text: string, tone: LogTone) => void,
  ) {}

  /** Dave orders KITCHEN_MEALS meals, one checkout each; logged in first (again, if his session has gone). */
  async order(): Promise<void> {
    this.ordering = true;
    try {
      if (!this.loggedIn) await this.dave.login();
      this.loggedIn = true;
      for (let meal = 0; meal < KITCHEN_MEALS; meal++) {
        const order = await placeOrderAgain(this.dave, KITCHEN_PIZZAS);
        this.placed.push(order.id);
        this.seen.set(order.id, order);
      }
    } catch (error) {
      if (!(error instanceof JourneyFailure)) throw error;
      this.log(error.message, "error");
    } finally {
      this.ordering = false;
    }
  }

  /** The server whose worker is cooking one of Dave's orders, as last seen (the latest such order's). */
  get busyServer(): string | undefined {
    return this.placed
      .map((id) => this.seen.get(id))
      .findLast((order) => order?.status === "preparing" && this.listed.has(order.id))?.preparedBy;
  }

  /**
   * Asks for Dave's orders as his browser would, through the balancer (unlogged), while he orders
   * too, so the room sees the first ones cooking before the last is placed. If his session has
   * gone with its server, he logs in again (that is logged) and asks again, as he would; while he
   * is ordering, his next checkout does that, and what was seen last stays meanwhile.
   */
  async poll(): Promise<void> {
    if (this.placed.length === 0) return;
    const asked = this.placed.length;
    let answer = await this.askForOrders();
    if (answer?.response.status === 401) {
      if (this.ordering) return;
      const loggedIn = await this.dave.login().then(
        () => true,
        (error: unknown) => {
          if (!(error instanceof JourneyFailure)) throw error;
          return false;
        },
      );
      if (loggedIn) answer = await this.askForOrders();
    }
    if (!answer) return; // no answer in time: what was seen last stays
    const { response, body } = answer;
    const instance = response.headers.get("x-served-by") ?? "balancer";
    this.answeredBy = instance;
    if (response.status !== 200 || !Array.isArray(body?.orders)) {
      this.answer = describeFailure("Dave", "GET /orders", { status: response.status, body, instance });
      return;
    }
    this.answer = null;
    this.listed = new Set(body.orders.map((order) => order.id));
    this.listedOf = asked;
    for (const order of body.orders) if (this.seen.has(order.id)) this.seen.set(order.id, order);
  }

  private async askForOrders() {
    const response = await fetch(`${this.balancerUrl}/orders`, {
      headers: await this.dave.credentials(),
      signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
    }).catch(() => undefined);
    if (!response) return undefined;
    const body = (await response.json().catch(() => undefined)) as { orders?: KitchenOrder[] } | undefined;
    return { response, body };
  }

  view(queue: string | null): KitchenView | null {
    if (this.placed.length === 0) return null;
    const orders = this.placed.map((id, index): KitchenOrderView => {
      const order = this.seen.get(id)!;
      const gone = this.answer === null && index < this.listedOf && !this.listed.has(id);
      return {
        id,
        status: gone ? "gone" : order.status,
        preparedBy: order.preparedBy ?? null,
        attempts: order.attempts,
      };
    });
    return { queue, orders, answeredBy: this.answeredBy, answer: this.answer };
  }
}
