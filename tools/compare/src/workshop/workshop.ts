// The workshop: both clusters started exactly as `pnpm compare` starts them (same stacks, same
// balancers, a private Redis), driven by the dashboard's buttons one action at a time. Every
// change of state and every request is handed to listeners (the page's event stream).
import { JOURNEYS } from "../journeys";
import { PairTimes } from "../journeys/pair-times";
import { journeyPolicy, runJourney } from "../journeys/run-journey";
import type { Stack } from "../rig/stack";
import { TestBed, type ProcessOwner } from "../rig/test-bed";
import { sleep } from "../util";
import { ARCHITECTURES, type Architecture, type BalancerKind, JOURNEY_NAMES, type JourneyName } from "../vocabulary";
import { DashboardFeed } from "./dashboard-feed";
import type {
  ChatAction,
  DashboardState,
  KitchenAction,
  LogEntry,
  LogTone,
  RequestTrace,
  ShopperAction,
} from "./dashboard-state";
import { WorkshopSide } from "./workshop-side";
import { WorkshopStore } from "./workshop-store";

/** Instances per side at most, counting those added by the "add an instance" button. */
export const MAX_INSTANCES = 8;
const POLL_MS = 500;

const CHAT_LABELS: Record<ChatAction, string> = {
  "chat-connect": "chat: Alice and Bob connect",
  "chat-write": "chat: Alice writes",
  "chat-type": "chat: Alice types",
  "kill-bobs-server": "kill -9 Bob's chat server",
};

const KITCHEN_LABELS: Record<KitchenAction, string> = {
  "kitchen-order": "kitchen: Dave orders",
  "kill-busy-kitchen": "kill -9 the server cooking Dave's order",
};

export interface WorkshopOptions {
  readonly instances: number;
  readonly lb: BalancerKind;
  /** How long a replayed chaos journey goes on. */
  readonly chaosSeconds: number;
  readonly onProcessStart?: (owner: ProcessOwner, id: string, pid: number) => void;
}

/** Another action is still running: the page waits for it (its buttons are disabled meanwhile). */
export class BusyError extends Error {
  constructor(busy: string) {
    super(`Busy with: ${busy}. Try again when it is done.`);
  }
}

export class Workshop {
  private readonly feed = new DashboardFeed(() => this.state());
  private readonly sides: WorkshopSide[];
  private busy: string | null = null;
  private readonly store: WorkshopStore;
  private poller: NodeJS.Timeout | undefined;
  private polling = false;

  private constructor(
    private readonly options: WorkshopOptions,
    private readonly bed: TestBed,
    stacks: Stack[],
  ) {
    this.sides = ARCHITECTURES.map(
      (app, i) =>
        new WorkshopSide(app, stacks[i]!, options.lb, (text, tone, request) => this.log(app, text, tone, request)),
    );
    // The bed's own Redis (the workshop always has one: ownStore).
    this.store = new WorkshopStore(bed.privateRedis!, (ms) => bed.moveStores(ms));
  }

  static async start(options: WorkshopOptions): Promise<Workshop> {
    // A Redis of its own (its buttons freeze it), with AOF as in `pnpm compare` and Compose: a
    // restarted Redis keeps the users' state.
    // The stateless servers reach their stores through delay proxies, at 0 ms until the page asks for more.
    const bed = await TestBed.open({
      lb: options.lb,
      ownStore: true,
      storeRoundTripMs: 0,
      onProcessStart: options.onProcessStart,
    });
    const starts = await Promise.allSettled(
      ARCHITECTURES.map((app) =>
        bed.startStack(app, { instances: options.instances, spareSlots: MAX_INSTANCES - options.instances }),
      ),
    );
    const failure = starts.find((start) => start.status === "rejected");
    if (failure) {
      await bed.close();
      throw failure.reason;
    }
    const stacks = starts.flatMap((start) => (start.status === "fulfilled" ? [start.value] : []));
    const workshop = new Workshop(options, bed, stacks);
    await workshop.poll();
    workshop.poller = setInterval(() => void workshop.poll(), POLL_MS);
    return workshop;
  }

  state(): DashboardState {
    const store = this.store.view();
    return {
      sides: this.sides.map((side) => side.view(side.app === "stateless" ? store : null)),
      busy: this.busy,
      // The workshop runs one Redis: a journey that fails over a Sentinel group is not among them.
      journeys: JOURNEY_NAMES.filter((name) => !JOURNEYS[name].needsSentinel).map((name) => ({
        name,
        story: JOURNEYS[name].story,
        expected: JOURNEYS[name].expected,
      })),
    };
  }

  /** Calls `listener` with every new state (now, then on each change) and every new log entry. */
  subscribe(onState: (state: DashboardState) => void, onLog: (entry: LogEntry) => void): () => void {
    return this.feed.subscribe(onState, onLog);
  }

  /** Starts a shopper action on both sides at once; resolves when both have their answer. */
  shop(action: ShopperAction): Promise<void> {
    return this.exclusive(`Alice: ${action}`, () => Promise.all(this.sides.map((side) => side.shop(action))));
  }

  /** A chat button, on both sides at once: connect Alice and Bob, Alice writes or types, kill Bob's server. */
  chat(action: ChatAction): Promise<void> {
    return this.exclusive(CHAT_LABELS[action], () => this.eachSide((side) => side.chatAction(action)));
  }

  /** A kitchen button, on both sides at once: Dave orders, or the server cooking his order is killed. */
  kitchen(action: KitchenAction): Promise<void> {
    return this.exclusive(KITCHEN_LABELS[action], () => this.eachSide((side) => side.kitchenAction(action)));
  }

  /** kill -9 on each side: the server that served the side's last request. */
  killLastServer(): Promise<void> {
    return this.exclusive("kill -9", () =>
      this.eachSide(async (side) => {
        const id = side.lastServer;
        if (id) await side.control.kill(id);
        else this.log(side.app, "No running server has served a request yet: nothing to kill.", "info");
      }),
    );
  }

  /** Starts every killed server again (empty memory), as a supervisor would. */
  reviveAll(): Promise<void> {
    return this.exclusive("starting killed servers", () => this.reviveKilled());
  }

  rollingRestart(): Promise<void> {
    return this.exclusive("rolling restart", () =>
      this.eachSide(async (side) => {
        for (const id of side.stack.cluster.ids) {
          if (side.control.instanceRunning(id)) await side.control.restart(id);
        }
        this.log(side.app, "Rolling restart done: every server was restarted once.", "fault");
      }),
    );
  }

  addInstance(): Promise<void> {
    return this.exclusive("adding an instance", () =>
      this.eachSide(async (side) => {
        if (side.stack.cluster.ids.length >= MAX_INSTANCES) {
          return this.log(side.app, `Already ${MAX_INSTANCES} instances: the workshop stops there.`, "info");
        }
        await side.control.addInstance();
      }),
    );
  }

  /** Stickiness off (round-robin) or back on, on the stateful side: the stateless side has none to lose. */
  toggleStickiness(): Promise<void> {
    return this.exclusive("switching stickiness", async () => {
      const { balancer } = this.side("stateful").stack;
      const policy = balancer.policy === "sticky" ? "round-robin" : "sticky";
      await balancer.setPolicy(policy);
      this.log(
        "stateful",
        policy === "sticky"
          ? "Stickiness on: each user goes back to the server that holds their session."
          : "Stickiness off: each request goes to the next server (round-robin), whoever holds the session.",
        "fault",
      );
    });
  }

  /** Freezes the shared Redis (SIGSTOP) or resumes it (SIGCONT). */
  toggleStore(): Promise<void> {
    return this.exclusive("Redis", async () => this.setStoreFrozen(!this.store.isFrozen));
  }

  /** The stateless side's stores a step further away: 0, 0.5, 1, 2 ms, then loopback again. */
  moveStoresAway(): Promise<void> {
    return this.exclusive("the stores' distance", async () => {
      const ms = await this.store.moveAway();
      const where = ms === 0 ? "back on loopback" : `${ms} ms away (a round trip)`;
      this.log("stateless", `The stores are ${where}: each round trip a request makes pays it.`, "fault");
      this.log("stateful", "This side reaches no store: its state is in each server.", "info");
    });
  }

  /**
   * Replays a `pnpm compare` journey on both sides at once, from a healthy start (killed servers
   * started again, Redis running), waiting `paceMs` before each request so the log can be followed.
   */
  play(name: JourneyName, paceMs: number): Promise<void> {
    const journey = JOURNEYS[name];
    if (journey.needsSentinel) {
      this.log("both", `${name} needs a Redis Sentinel group: run it with pnpm compare --store sentinel`, "error");
      return Promise.resolve();
    }
    return this.exclusive(`playing ${name}`, async () => {
      await this.reviveKilled();
      this.setStoreFrozen(false);
      this.log("both", `▶ ${name}: ${journey.story}`, "info");
      const storeFault = this.bed.storeFault(this.sides.length);
      const pairTimes = new PairTimes();
      await this.eachSide(async (side) => {
        const policy = journeyPolicy(journey, side.app);
        const fault = (what: string) => this.log(side.app, what, "fault");
        const result = await runJourney(journey, side.app, {
          balancerUrl: side.stack.balancer.url,
          control: await side.replayControl(policy, storeFault, fault),
          lb: `${this.bed.lb} ${policy}`,
          expected: journey.expected[side.app],
          chaosSeconds: this.options.chaosSeconds,
          onStep: (step) => side.record(step),
          pace: () => sleep(paceMs),
          pairTimes,
        });
        const { outcome, expected, failure } = result;
        side.lastPlay = { journey: name, outcome, expected, failure };
        const verdict = `${name}: ${outcome.toUpperCase()} (expected ${expected})${failure ? ` — ${failure}` : ""}`;
        this.log(side.app, verdict, outcome === "pass" ? "ok" : "error");
      });
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.poller);
    for (const side of this.sides) side.chat.close();
    await this.bed.close();
  }

  private side(app: Architecture): WorkshopSide {
    return this.sides.find((side) => side.app === app)!;
  }

  private async eachSide(work: (side: WorkshopSide) => Promise<void>): Promise<void> {
    await Promise.all(this.sides.map(work));
  }

  /** Every killed server of both sides at once: each starts on its own port, so none waits for another. */
  private async reviveKilled(): Promise<void> {
    await this.eachSide(async (side) => {
      const killed = side.stack.cluster.ids.filter((id) => !side.control.instanceRunning(id));
      await Promise.all(killed.map((id) => side.control.revive(id)));
    });
  }

  private setStoreFrozen(frozen: boolean): void {
    if (!this.store.setFrozen(frozen)) return;
    this.log(
      "stateless",
      frozen ? "Redis frozen (SIGSTOP): every server waits on it." : "Redis resumed (SIGCONT).",
      "fault",
    );
    this.log(
      "stateful",
      frozen ? "Redis frozen: this side keeps nothing in it." : "Redis resumed: this side never needed it.",
      "info",
    );
  }

  /**
   * One action at a time: a second click while one runs is refused at once (BusyError, thrown
   * before anything starts), not queued. The action's own failure is told in the log.
   */
  private exclusive(label: string, work: () => Promise<unknown>): Promise<void> {
    if (this.busy) throw new BusyError(this.busy);
    this.busy = label;
    this.changed();
    return work()
      .then(
        () => undefined,
        (error: Error) => this.log("both", `${label} failed: ${error.message}`, "error"),
      )
      .finally(async () => {
        this.busy = null;
        await this.poll();
      });
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await Promise.all([this.store.poll(), ...this.sides.map((side) => side.poll())]);
    } finally {
      this.polling = false;
    }
    this.changed();
  }

  private log(side: Architecture | "both", text: string, tone: LogTone, request?: RequestTrace): void {
    this.feed.log(side, text, tone, request);
  }

  private changed(): void {
    this.feed.changed();
  }
}
