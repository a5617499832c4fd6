// A real HAProxy in front of a cluster, configured from the same source as the Compose stack
// (haproxy-config.ts). Changes while it runs go through its runtime API, as in production:
// scale-out fills a server slot declared `disabled` (HAProxy 2.6 cannot give a server added at
// run time a cookie), and a deploy drains a server with `state maint`.
import { LocalHaproxy, waitUntil } from "@cart/local-infra";
import type { RoutingPolicy } from "../vocabulary";
import { renderHaproxyConfig, STICKINESS_VARIABLE } from "./haproxy-config";
import type { Backend, LoadBalancer } from "./load-balancer";

const DRAIN_TIMEOUT_MS = 15000;
/** Unused address of a slot that waits for its server. */
const PARKED = "127.0.0.1:1";

export interface HaproxyBalancerOptions {
  /** Frontend and backend name (the app). */
  readonly name: string;
  readonly policy: RoutingPolicy;
  readonly backends: readonly Backend[];
  /** Ids that instances added later will have: each gets a disabled server slot. */
  readonly slots: readonly string[];
}

export class HaproxyBalancer implements LoadBalancer {
  private readonly enabled = new Set<string>();
  private readonly switchable: boolean;

  private constructor(
    private currentPolicy: RoutingPolicy,
    readonly url: string,
    private readonly name: string,
    private readonly haproxy: LocalHaproxy,
    backends: readonly Backend[],
  ) {
    for (const { id } of backends) this.enabled.add(id);
    this.switchable = currentPolicy === "sticky";
  }

  static async start({ name, policy, backends, slots }: HaproxyBalancerOptions): Promise<HaproxyBalancer> {
    const servers = [
      ...backends.map(({ id, url }) => ({ id, address: new URL(url).host })),
      ...slots.map((id) => ({ id, address: PARKED, disabled: true })),
    ];
    const haproxy = await LocalHaproxy.start(`haproxy (${name})`, ({ adminSocket, port, statsPort }) =>
      renderHaproxyConfig({
        name,
        policy,
        bind: `127.0.0.1:${port}`,
        statsBind: `127.0.0.1:${statsPort}`,
        servers,
        adminSocket,
      }),
    );
    return new HaproxyBalancer(policy, `http://127.0.0.1:${haproxy.port}`, name, haproxy, backends);
  }

  get pid(): number {
    return this.haproxy.pid;
  }

  get policy(): RoutingPolicy {
    return this.currentPolicy;
  }

  /**
   * Only a balancer started sticky can switch: its config has the cookie lines, and an
   * `ignore-persist` rule that obeys the process variable set here (HAProxy calls `set var` on
   * its runtime API experimental).
   */
  async setPolicy(policy: RoutingPolicy): Promise<void> {
    if (policy === this.currentPolicy) return;
    if (policy === "sticky" && !this.switchable)
      throw new Error("haproxy: a balancer started round-robin has no cookies to turn on");
    await this.run(
      `experimental-mode on; set var proc.${STICKINESS_VARIABLE} str(${policy === "sticky" ? "on" : "off"})`,
    );
    this.currentPolicy = policy;
  }

  async setBackends(backends: readonly Backend[]): Promise<void> {
    // One left out goes back to being a parked slot, ready to be filled again.
    for (const id of [...this.enabled].filter((enabled) => !backends.some((backend) => backend.id === enabled))) {
      await this.run(`set server ${this.name}/${id} state maint`);
      await this.run(`set server ${this.name}/${id} addr ${PARKED.replace(":", " port ")}`);
      this.enabled.delete(id);
    }
    for (const { id, url } of backends) {
      if (this.enabled.has(id)) continue;
      const { hostname, port } = new URL(url);
      await this.run(`set server ${this.name}/${id} addr ${hostname} port ${port}`);
      await this.run(`set server ${this.name}/${id} state ready`);
      this.enabled.add(id);
    }
  }

  async liveIds(): Promise<string[]> {
    const rows = await this.stat();
    // "UP", or "UP 1/2" on its way down; "no check" for a server without checks.
    return rows.filter((row) => /^UP|^no check/.test(row.status)).map((row) => row.id);
  }

  async drain(id: string): Promise<void> {
    await this.run(`set server ${this.name}/${id} state maint`);
    await waitUntil(
      async () => (await this.activeRequests(id)) === 0,
      DRAIN_TIMEOUT_MS,
      `haproxy: ${id} still had requests in flight after ${DRAIN_TIMEOUT_MS} ms`,
    );
  }

  async restore(id: string): Promise<void> {
    await this.run(`set server ${this.name}/${id} state ready`);
  }

  close(): Promise<void> {
    return this.haproxy.stop();
  }

  /**
   * Requests queued for, or being served by, one server: its streams in `show sess all`, less
   * the WebSocket tunnels (`MSG_TUNNEL`), which are not requests in flight: a drain does not
   * wait for them (the server closes them when it stops), as the built-in balancer's does not.
   */
  private async activeRequests(id: string): Promise<number> {
    const streams = (await this.haproxy.command("show sess all")).split(/\n(?=0x[0-9a-f]+: )/);
    return streams.filter(
      (stream) =>
        stream.includes(`backend=${this.name} (`) &&
        stream.includes(`server=${id} (`) &&
        !stream.includes("req.st=MSG_TUNNEL"),
    ).length;
  }

  /** This backend's servers as `show stat` has them, with their status ("UP", "DOWN", "MAINT"…). */
  private async stat(): Promise<{ id: string; status: string }[]> {
    const [header, ...lines] = (await this.haproxy.command("show stat")).split("\n");
    const columns = header!.replace(/^# /, "").split(",");
    const column = (cells: string[], name: string) => cells[columns.indexOf(name)] ?? "";
    return lines
      .map((line) => line.split(","))
      .filter((cells) => cells[0] === this.name && !["FRONTEND", "BACKEND"].includes(cells[1] ?? ""))
      .map((cells) => ({
        id: cells[1]!,
        status: column(cells, "status"),
      }));
  }

  /** A runtime API command; HAProxy answers an empty line on success, words on failure. */
  private async run(command: string): Promise<void> {
    const answer = await this.haproxy.command(command);
    if (answer && !/^no need to change/.test(answer)) throw new Error(`haproxy: "${command}" → ${answer}`);
  }
}
