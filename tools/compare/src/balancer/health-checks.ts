// Which backends are alive, HAProxy-style: GET /healthz every 250 ms; two failures in a row mark a
// backend down, one success marks it up. A refused connection marks it down at once. A backend in
// maintenance (being deployed) gets no traffic whatever its health.
// A check may take up to 2 s: it runs on the balancer's own event loop, which under full load can
// be late by hundreds of milliseconds, and a sticky user moved off a live server loses their
// session (a bench run saw one UNKNOWN_SESSION that way). A dead server refuses at once anyway.
// Each backend is checked over a connection kept open from check to check, as HAProxy can.
import { probe } from "@cart/local-infra";
import { Agent } from "node:http";
import type { Backend } from "./load-balancer";

const INTERVAL_MS = 250;
const TIMEOUT_MS = 2000;
const FALL = 2;

interface Health {
  up: boolean;
  failures: number;
}

export class HealthChecks {
  private readonly health = new Map<string, Health>();
  private readonly timer: NodeJS.Timeout;
  /** One connection per backend, reused by its checks (a closed one is opened again by the next check). */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private backends: readonly Backend[] = [];
  private readonly maintenance = new Set<string>();
  /** A round of checks still waiting for a slow backend: the next round waits for it. */
  private checking = false;

  constructor() {
    this.timer = setInterval(() => void this.checkAll(), INTERVAL_MS);
    this.timer.unref();
  }

  track(backends: readonly Backend[]): void {
    this.backends = backends;
    for (const { id } of backends) if (!this.health.has(id)) this.health.set(id, { up: true, failures: 0 });
  }

  live(): Backend[] {
    return this.backends.filter((backend) => this.health.get(backend.id)?.up && !this.maintenance.has(backend.id));
  }

  setMaintenance(id: string, on: boolean): void {
    if (on) this.maintenance.add(id);
    else this.maintenance.delete(id);
  }

  markDown(id: string): void {
    this.health.set(id, { up: false, failures: FALL });
  }

  stop(): void {
    clearInterval(this.timer);
    this.agent.destroy();
  }

  private async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    await Promise.all(
      this.backends.map(async ({ id, url }) => {
        const answer = await probe(`${url}/healthz`, { timeoutMs: TIMEOUT_MS, agent: this.agent });
        const ok = answer !== undefined && answer.status >= 200 && answer.status < 300;
        const previous = this.health.get(id) ?? { up: true, failures: 0 };
        const failures = ok ? 0 : previous.failures + 1;
        this.health.set(id, { up: ok || (previous.up && failures < FALL), failures });
      }),
    ).finally(() => (this.checking = false));
  }
}
