// What a comparison reports: every journey's result on every app, the set-up, latency per app,
// and whether reality matched the expectations.
import type { JourneyResult } from "../journeys/result";
import type { AppName } from "../vocabulary";

export interface Latency {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface ComparisonReport {
  readonly durationMs: number;
  /** Instances per app; null when the stacks were given by URL (the suite cannot know). */
  readonly instances: number | null;
  readonly lb: string;
  readonly redis: string;
  readonly postgres: string;
  /** The S3-compatible store the stateless stacks keep files in. */
  readonly objectStorage: string;
  readonly results: JourneyResult[];
  readonly latency: Partial<Record<AppName, Latency>>;
  readonly matched: boolean;
}
