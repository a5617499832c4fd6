// Words for a result, shared by the terminal table and the Markdown report.
import type { JourneyResult } from "../../journeys/result";
import type { ComparisonReport } from "../comparison-report";

export function verdictWords(result: JourneyResult): string {
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

/** With --store-rtt: how far the stores were, as asked and as a Redis PING measured it through the proxy. */
function describeDistance({ storeDistance }: ComparisonReport): string {
  if (!storeDistance) return "";
  const { askedMs, measuredMs, directMs } = storeDistance;
  return (
    `; each store ${askedMs} ms away for the clusters (a delay proxy in front of it: Redis's PING ` +
    `${measuredMs.toFixed(2)} ms through it, ${directMs.toFixed(2)} ms without)`
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
  const setUp = report.setUpMs >= SHOWN_FROM_MS ? `${seconds(report.setUpMs)} starting the stores, then ` : "";
  if (!last) return `Wall time ${seconds(report.durationMs)}.`;
  const journeys = last.journeys.map(({ journey, ms }) => `${journey} ${seconds(ms)}`).join(", ");
  const others = report.lanes.length > 1 ? ` (the last of ${report.lanes.length} lanes to end)` : "";
  return `Wall time ${seconds(report.durationMs)}: ${setUp}${seconds(last.ms)} of journeys${others}: ${journeys}.`;
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
