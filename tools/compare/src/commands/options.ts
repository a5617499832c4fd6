// Option parsers shared by the command lines.
import { InvalidArgumentError } from "commander";
import { JOURNEY_NAMES, type JourneyName, type Outcome } from "../vocabulary";

/** A commander parser for a whole number from `min` to `max`, with the reason when it is not. */
export const wholeNumber =
  (min: number, max: number, unit = "") =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`a whole number${unit} from ${min} to ${max}`);
    }
    return n;
  };

/** A commander parser for a number from `min` to `max`, fractions allowed. */
export const decimalNumber =
  (min: number, max: number, unit = "") =>
  (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`a number${unit} from ${min} to ${max}`);
    }
    return n;
  };

/** A repeatable option whose values are among `allowed`. */
export const oneOf =
  <T extends string>(allowed: readonly T[], what: string) =>
  (value: string, previous: T[] = []): T[] => {
    if (!allowed.includes(value as T))
      throw new InvalidArgumentError(`unknown ${what} "${value}"; one of: ${allowed.join(", ")}`);
    return [...previous, value as T];
  };

/** An http(s) URL, without its trailing slash. */
export function parseUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !/^https?:$/.test(url.protocol)) throw new InvalidArgumentError("an http:// or https:// URL");
  return url.href.replace(/\/$/, "");
}

/** `JOURNEY:APP=pass|fail`, repeatable: expectations that replace the declared ones. */
export function parseExpectation(value: string, previous: Record<string, Outcome> = {}): Record<string, Outcome> {
  const match = /^([\w-]+):(stateful|stateless|lab)=(pass|fail)$/.exec(value);
  if (!match || !JOURNEY_NAMES.includes(match[1] as JourneyName)) {
    throw new InvalidArgumentError('expected JOURNEY:APP=pass|fail, e.g. "server-crash:stateful=pass"');
  }
  return { ...previous, [`${match[1]}:${match[2]}`]: match[3] as Outcome };
}
