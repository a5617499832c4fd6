// What a test that compares verdicts prints when one did not match: each journey's failure in its
// own words and its last steps (which server answered what). A CI log keeps only what the
// assertion prints, and the report's folder is gone with it.

/** A journey's result as compare.json writes it (the fields the tests read). */
export interface Result {
  journey: string;
  app: string;
  expected: string;
  outcome: string;
  matched: boolean;
  failure: string | null;
  cartBeforeFault?: string;
  cartAfterFault?: string;
  steps: {
    request: string;
    instance: string;
    status: number;
    ms: number;
    /** From Server-Timing: each store the request used, its time and operations. */
    stores?: { store: string; ms: number; operations: number }[];
  }[];
  details?: Record<string, unknown>;
}

/** The results that did not match, each with its failure and its last steps. */
export function mismatchesIn(results: readonly Result[]): string[] {
  const lastSteps = (result: Result) =>
    result.steps
      .slice(-8)
      .map((step) => `${step.request} → ${step.instance} ${step.status}`)
      .join("; ");
  return results
    .filter((result) => !result.matched)
    .map(
      (result) =>
        `${result.journey}:${result.app} ${result.outcome}: ${result.failure} [last steps: ${lastSteps(result)}]`,
    );
}
