// `pnpm bench --store-rtt`: what the stores' distance costs the stateless app. One cluster of each
// app; the stateless app's stores behind local-infra's delay proxies, which start at 0 ms (the
// baseline, so that the proxy's own cost is not counted as distance) and are moved, connections
// open, to each round trip asked for. At each distance: the request mix through the balancer, then
// every route on its own, one request at a time (route-probe.ts). The stateful app reaches no store:
// it is measured once a repetition, as it is, not at each distance. Within a repetition the targets
// run the stateful app first then the distances up, in the next one the other way round, so that
// what the machine does over a minute (warming up, above all) falls on all of them alike.
import type { MeasuredDistance } from "../rig/store-distance";
import { TestBed } from "../rig/test-bed";
import { round } from "../util";
import type { BalancerKind } from "../vocabulary";
import { appSubject, type Subject } from "./bench";
import { runLoadProcess } from "./run-load";
import { probeRoutes, PROBED_ROUTES, RouteSamples, type ProbedRoute, type RouteFigures } from "./route-probe";
import { spread, type Spread } from "./summary";

export const DEFAULT_DISTANCES = [0, 0.2, 0.5, 1, 2] as const;

export interface DistanceBenchOptions {
  /** Round trips to put between the stateless app and its stores (ms). */
  readonly distances: readonly number[];
  readonly seconds: number;
  readonly warmUpSeconds: number;
  readonly repetitions: number;
  /** Requests of each route, one at a time, at each distance in each repetition. */
  readonly probes: number;
  readonly connections: number;
  readonly users: number;
  readonly instances: number;
  readonly lb: BalancerKind;
  readonly onProgress: (line: string) => void;
}

/** The mix through the balancer: its throughput and latencies, over the repetitions. */
export interface MixFigures {
  readonly requestsPerSecond: Spread;
  /** Medians of the repetitions' p50 and p99. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface AtDistance {
  readonly askedMs: number;
  /**
   * What the proxy really added: the median over repetitions of Redis PINGs through it minus
   * PINGs straight to Redis at the same moment (both printed too).
   */
  readonly addedMs: number;
  /**
   * The fastest PING through the proxy minus the fastest straight: what the proxy adds when the
   * machine lets it keep time (on a busy machine the medians also hold the proxy's waits for a core).
   */
  readonly fastestAddedMs: number;
  readonly throughProxyMs: number;
  readonly directMs: number;
  readonly mix: MixFigures;
  readonly routes: RouteFigures[];
}

export interface DistanceReport {
  readonly settings: Omit<DistanceBenchOptions, "onProgress"> & { readonly node: string };
  /** The stateful app, which keeps its state in its own memory and disk: distance does not reach it. */
  readonly stateful: { readonly mix: MixFigures; readonly routes: RouteFigures[] };
  /** The stateless app at each distance, in the order asked. */
  readonly stateless: AtDistance[];
  /**
   * For each stateless route, the round trip (ms) at which its p50 is twice its p50 at the smallest
   * distance (interpolated between the two distances around it); null when it never gets there.
   */
  readonly doublesAtMs: Partial<Record<ProbedRoute, number | null>>;
}

/** What one target (the stateful app, or the stateless one at one distance) gathered over the repetitions. */
class Gathered {
  readonly routes = new RouteSamples();
  readonly mixes: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number }[] = [];
  readonly pings: MeasuredDistance[] = [];

  mix(): MixFigures {
    const median = (values: number[]) => spread(values).median;
    return {
      requestsPerSecond: spread(this.mixes.map((run) => run.requestsPerSecond)),
      p50Ms: median(this.mixes.map((run) => run.p50Ms)),
      p99Ms: median(this.mixes.map((run) => run.p99Ms)),
      errors: this.mixes.reduce((sum, run) => sum + run.errors, 0),
    };
  }
}

export async function distanceBench(options: DistanceBenchOptions): Promise<DistanceReport> {
  const say = options.onProgress;
  const first = options.distances[0]!;
  const bed = await TestBed.open({ lb: options.lb, storeRoundTripMs: first });
  try {
    const stateful = await bed.startStack("stateful", { instances: options.instances });
    const stateless = await bed.startStack("stateless", { instances: options.instances });
    const subjects = {
      stateful: await appSubject("stateful", stateful, options.users),
      stateless: await appSubject("stateless", stateless, options.users),
    };
    const urls = (stack: typeof stateful) => stack.cluster.ids.map((id) => stack.cluster.url(id));
    say(
      `both apps: ${options.instances} instances behind the ${options.lb} balancer, ${options.users} users logged in`,
    );

    const mixOf = (subject: Subject, seconds: number) => {
      const { url, users } = subject.entries.balancer!;
      return runLoadProcess({ url, users, seconds, connections: options.connections });
    };
    for (const subject of Object.values(subjects)) await mixOf(subject, options.warmUpSeconds);
    say(`warmed up (${options.warmUpSeconds} s per app)`);

    const measureInto = async (gathered: Gathered, subject: Subject, entry: string[], label: string) => {
      await subject.emptyCarts();
      const mix = await mixOf(subject, options.seconds);
      gathered.mixes.push(mix);
      await probeRoutes(entry[0]!, entry[1]!, options.probes, gathered.routes);
      say(
        `${label}: the mix ${mix.requestsPerSecond} req/s (p99 ${mix.p99Ms} ms), each route probed ${options.probes}×`,
      );
    };
    const statefulRuns = new Gathered();
    const atDistance = new Map(options.distances.map((ms) => [ms, new Gathered()]));
    // The stateful app first, then the distances up; in the next repetition the other way round.
    const targets = ["stateful" as const, ...options.distances];
    for (let repetition = 1; repetition <= options.repetitions; repetition++) {
      const turn = `repetition ${repetition}/${options.repetitions}`;
      for (const target of repetition % 2 ? targets : [...targets].reverse()) {
        if (target === "stateful") {
          await measureInto(statefulRuns, subjects.stateful, urls(stateful), `${turn}, stateful`);
          continue;
        }
        await bed.moveStores(target);
        const gathered = atDistance.get(target)!;
        gathered.pings.push((await bed.measuredDistance())!);
        await measureInto(
          gathered,
          subjects.stateless,
          urls(stateless),
          `${turn}, stateless, stores ${target} ms away`,
        );
      }
    }
    const report: DistanceReport = {
      settings: { ...withoutProgress(options), node: process.version },
      stateful: { mix: statefulRuns.mix(), routes: statefulRuns.routes.summary() },
      stateless: options.distances.map((askedMs) => figuresAt(askedMs, atDistance.get(askedMs)!)),
      doublesAtMs: {},
    };
    return { ...report, doublesAtMs: doublingDistances(report.stateless) };
  } finally {
    await bed.close();
  }
}

function figuresAt(askedMs: number, gathered: Gathered): AtDistance {
  const median = (values: number[]) => spread(values).median;
  const throughProxyMs = median(gathered.pings.map((ping) => ping.measuredMs));
  const directMs = median(gathered.pings.map((ping) => ping.directMs));
  return {
    askedMs,
    addedMs: round(median(gathered.pings.map((ping) => ping.measuredMs - ping.directMs))),
    fastestAddedMs: round(
      Math.min(...gathered.pings.map((ping) => ping.fastestMs)) -
        Math.min(...gathered.pings.map((ping) => ping.directFastestMs)),
    ),
    throughProxyMs: round(throughProxyMs),
    directMs: round(directMs),
    mix: gathered.mix(),
    routes: gathered.routes.summary(),
  };
}

/** Where each route's p50 reaches twice its p50 at the smallest distance measured (0 ms by default). */
export function doublingDistances(stateless: readonly AtDistance[]): Partial<Record<ProbedRoute, number | null>> {
  const sorted = [...stateless].sort((a, b) => a.askedMs - b.askedMs);
  const p50 = (at: AtDistance, route: ProbedRoute) => at.routes.find((figures) => figures.route === route)?.p50Ms;
  const doubling: Partial<Record<ProbedRoute, number | null>> = {};
  for (const route of PROBED_ROUTES) {
    const base = p50(sorted[0]!, route);
    if (base === undefined || base === null) continue;
    doubling[route] = null;
    for (let i = 1; i < sorted.length; i++) {
      const [below, above] = [sorted[i - 1]!, sorted[i]!];
      const [from, to] = [p50(below, route), p50(above, route)];
      if (from === undefined || from === null || to === undefined || to === null || to < 2 * base) continue;
      // The straight line between the two distances around it, where it crosses twice the base.
      const share = to === from ? 0 : Math.min(1, Math.max(0, (2 * base - from) / (to - from)));
      doubling[route] = round(below.askedMs + share * (above.askedMs - below.askedMs));
      break;
    }
  }
  return doubling;
}

function withoutProgress({ onProgress: _onProgress, ...settings }: DistanceBenchOptions) {
  return settings;
}
