// What one journey came to on one app: its outcome against the expectation, why it failed, and
// every step, for the reports and the dashboard.
import type { AppName, JourneyName, Outcome } from "../vocabulary";
import type { Step } from "./steps";

/** A fault the journey caused (`kill -9 stateful-1`), and how many of its steps came before it. */
export interface FaultMark {
  readonly afterSteps: number;
  readonly fault: string;
}

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
  /** The faults, in order, placed among the steps (the sequence diagrams draw them as notes). */
  readonly faults?: readonly FaultMark[];
  /** On a fail whose cause is one answer (a 401, a wrong cart), that step's index in `steps`. */
  readonly failingStep?: number;
}
