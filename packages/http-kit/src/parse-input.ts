import type { z } from "zod";
import { validationFailed } from "./http-error";

/** Parses client input with a schema; a mismatch is a 400 naming each offending field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "body";
    return `${where}: ${issue.message}`;
  });
  throw validationFailed(problems.join("; "));
}
