// Option parsers shared by the command lines.
import { InvalidArgumentError } from "commander";

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
