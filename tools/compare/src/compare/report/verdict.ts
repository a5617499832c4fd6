// Words for a result, shared by the terminal table and the Markdown report.
import type { JourneyResult } from "../../journeys/result";
import { formatMs } from "../../util";
import { passMedians, type PassFigures } from "../pass-medians";
import type { ComparisonReport } from "../comparison-report";

export function verdictWords(result: Pick<JourneyResult, "outcome" | "matched" | "expected">): string {
  if (result.outcome === "skipped") return "skipped";
  const expectation = result.matched ? "as expected" : `MISMATCH: expected ${result.expected}`;
  return `${result.outcome} (${expectation})`;
}

/** One line on how the run was set up: instances, balancer, stores (describeTiming says how long it took). */
export function describeSetup(report: ComparisonReport): string {
  const servers = report.instances === null ? "stacks given by URL" : `${report.instances} instances per app`;
  const stores = `Redis: ${report.redis}, PostgreSQL: ${report.postgres}, object storage: ${report.objectStorage}`;
  return `${servers}, load balancer: ${report.lb}, ${stores}${describeDistance(report)}`;
}

/**
 * With --store-rtt: how far the stores were, as asked and as a Redis PING measured it through the
 * proxy: the median, and the fastest (on a busy machine the median also holds the proxy's own
 * waits for a core; the fastest shows what it adds when it keeps time).
 */
function describeDistance({ storeDistance, atLoopback }: ComparisonReport): string {
  if (!storeDistance) return "";
  const { askedMs, measuredMs, directMs, fastestMs } = storeDistance;
  const loopback = atLoopback?.storeDistance
    ? `; first at loopback, the same proxies at 0 ms (PING ${atLoopback.storeDistance.measuredMs.toFixed(2)} ms ` +
      `through them, ${atLoopback.storeDistance.directMs.toFixed(2)} ms without)`
    : "";
  return (
    `; each store ${askedMs} ms away for the clusters (a delay proxy in front of it: Redis's PING ` +
    `${measuredMs.toFixed(2)} ms through it (the fastest ${fastestMs.toFixed(2)}), ${directMs.toFixed(2)} ms without)${loopback}`
  );
}

/**
 * Where the wall time went: the stores' start, then the lane that ended last (the run's critical
 * path: the other lanes were done before it), its journeys in the order they ran.
 */
export function describeTiming(report: ComparisonReport): string {
  /** A set-up shorter than this (stores given, not started) would read "0.0 s". */
  const SHOWN_FROM_MS = 50;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const last = report.lanes.reduce<ComparisonReport["lanes"][number] | undefined>(
    (latest, lane) => (!latest || lane.ms > latest.ms ? lane : latest),
    undefined,
  );
  const setUp =
    (report.setUpMs >= SHOWN_FROM_MS ? `${seconds(report.setUpMs)} starting the stores, then ` : "") +
    (report.atLoopback ? `${seconds(report.atLoopback.ms)} of journeys at loopback, then ` : "");
  if (!last) return `Wall time ${seconds(report.durationMs)}.`;
  const journeys = last.journeys.map(({ journey, ms }) => `${journey} ${seconds(ms)}`).join(", ");
  const others = report.lanes.length > 1 ? ` (the last of ${report.lanes.length} lanes to end)` : "";
  return `Wall time ${seconds(report.durationMs)}: ${setUp}${seconds(last.ms)} of journeys${others}: ${journeys}.`;
}

/** A journey's time, its requests' median and a store use's, as the tables beside loopback show them. */
export function describeTimes({ durationMs, p50Ms, storeP50Ms }: PassTimes): string {
  const stores = storeP50Ms === null ? "" : `, a store use ${formatMs(storeP50Ms)}`;
  return `${(durationMs / 1000).toFixed(1)} s, p50 ${formatMs(p50Ms)}${stores}`;
}

/** A journey on an app in one pass: its time, its requests' median, its verdict. */
export interface PassTimes extends PassFigures {
  readonly durationMs: number;
  readonly matched: boolean;
  readonly words: string;
}

export interface BesideLoopback {
  readonly journey: string;
  readonly app: string;
  readonly loopback: PassTimes;
  readonly away: PassTimes;
}

/**
 * With --store-rtt: each journey on each app that ran at both, its time and its requests' median
 * at loopback beside the distance's, and its verdict at each (the same, unless one is a mismatch).
 */
export function besideLoopback(report: ComparisonReport): { title: string; rows: BesideLoopback[] } | undefined {
  const { atLoopback, storeDistance } = report;
  if (!atLoopback || !storeDistance) return undefined;
  const rows = report.results.flatMap((away): BesideLoopback[] => {
    const loopback = atLoopback.results.find((r) => r.journey === away.journey && r.app === away.app);
    if (!loopback || away.outcome === "skipped" || loopback.outcome === "skipped") return [];
    return [
      {
        journey: away.journey,
        app: away.app,
        loopback: {
          durationMs: loopback.durationMs,
          p50Ms: loopback.p50Ms,
          storeP50Ms: loopback.storeP50Ms,
          storeMinMs: loopback.storeMinMs,
          matched: loopback.matched,
          words: verdictWords({ ...loopback, expected: away.expected }),
        },
        away: {
          durationMs: away.durationMs,
          ...passMedians(away.steps),
          matched: away.matched,
          words: verdictWords(away),
        },
      },
    ];
  });
  return {
    title:
      `Each journey with the stores on loopback, then ${storeDistance.askedMs} ms away (the same delay proxies; ` +
      `the stateful app uses none): its time, its requests' median, and a store use's median (Server-Timing). ` +
      "A journey's time is mostly its waits for processes and timers, on a busy machine: what each request " +
      "pays for the distance is pnpm bench --store-rtt's to measure",
    rows,
  };
}

/** The outcomes that did not match their expectation, at loopback too (with --store-rtt). */
export function mismatchCount(report: ComparisonReport): number {
  return [...report.results, ...(report.atLoopback?.results ?? [])].filter((result) => !result.matched).length;
}

/** Why journeys were skipped, each reason once. */
export function skipReasons(report: ComparisonReport): string[] {
  const skipped = report.results.filter((result) => result.outcome === "skipped");
  const reasons = new Map<string, Set<string>>();
  for (const { journey, failure } of skipped)
    reasons.set(failure ?? "", (reasons.get(failure ?? "") ?? new Set()).add(journey));
  return [...reasons].map(([reason, journeys]) => `Skipped ${[...journeys].join(", ")}: ${reason}`);
}

/** The figures a journey reports in words (store-failover's recovery times and lost writes), if any. */
export function figuresOf(result: JourneyResult): string[] {
  const figures = result.details.figures;
  return Array.isArray(figures) ? figures.filter((line): line is string => typeof line === "string") : [];
}

/** The results a sequence diagram can be drawn for: those that ran, and took a step. */
export function diagramsOf(report: ComparisonReport): JourneyResult[] {
  return report.results.filter((result) => result.outcome !== "skipped" && result.steps.length > 0);
}
