// Words for a result, shared by the terminal table and the Markdown report.
import type { JourneyResult } from "../../journeys/result";
import type { ComparisonReport } from "../comparison-report";

export function verdictWords(result: JourneyResult): string {
  if (result.outcome === "skipped") return "skipped";
  const expectation = result.matched ? "as expected" : `MISMATCH: expected ${result.expected}`;
  return `${result.outcome} (${expectation})`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** One line on how the run was set up: instances, balancer, stores, wall time. */
export function describeSetup(report: ComparisonReport): string {
  const servers = report.instances === null ? "stacks given by URL" : `${report.instances} instances per app`;
  return (
    `${servers}, load balancer: ${report.lb}, Redis: ${report.redis}, PostgreSQL: ${report.postgres}, object storage: ${report.objectStorage}, wall time ` +
    `${(report.durationMs / 1000).toFixed(1)} s`
  );
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
