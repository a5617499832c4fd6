// What one journey came to on one app: its outcome against the expectation, why it failed, and
// every step, for the reports and the dashboard.
import type { AppName, JourneyName, Outcome } from "../vocabulary";
import type { Step } from "./steps";

export interface JourneyResult {
  readonly journey: JourneyName;
  readonly app: AppName;
  readonly lb: string;
  readonly expected: Outcome;
  /** `skipped` when the journey cannot run here (e.g. it must freeze Redis, and REDIS_URL was given). */
  readonly outcome: Outcome | "skipped";
  /** Whether the outcome is the expected one (a skipped journey is not counted against the run). */
  readonly matched: boolean;
  /** The first failing step, in plain words; null on a pass. */
  readonly failure: string | null;
  readonly cartBeforeFault?: string;
  readonly cartAfterFault?: string;
  readonly details: Record<string, unknown>;
  readonly durationMs: number;
  readonly steps: Step[];
}
