// Words for a result, shared by the terminal table and the Markdown report.
import type { JourneyResult } from "../result";

export function verdictWords(result: JourneyResult): string {
  if (result.outcome === "skipped") return "skipped";
  const expectation = result.matched ? "as expected" : `MISMATCH: expected ${result.expected}`;
  return `${result.outcome} (${expectation})`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
