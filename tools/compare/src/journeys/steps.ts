import type { StoreTiming } from "@cart/http-kit";
import { formatMs } from "../util";

/** One request of a journey, as the user and the report see it. */
export interface Step {
  readonly shopper: string;
  readonly request: string;
  readonly instance: string;
  readonly status: number;
  readonly code?: string | undefined;
  readonly ms: number;
  /** The stores the server used for it, from its Server-Timing header: `{ store: "redis", ms: 0.4, operations: 2 }`. */
  readonly stores?: readonly StoreTiming[];
}

/** Where the server's time went, from its Server-Timing, to follow a request's line: " (redis 0.4 ms ×2)"; "" for none. */
export function storeTimes({ stores = [] }: Pick<Step, "stores">): string {
  const each = stores.map(({ store, ms, operations }) => `${store} ${formatMs(ms)} ×${operations}`);
  return each.length > 0 ? ` (${each.join(", ")})` : "";
}

/**
 * What the journey's user ran into: the first failing step, in plain words, and that step when the
 * failure is an answer (not, say, a count over many answers).
 */
export class JourneyFailure extends Error {
  constructor(
    message: string,
    readonly step?: Step,
  ) {
    super(message);
    this.name = "JourneyFailure";
  }
}
