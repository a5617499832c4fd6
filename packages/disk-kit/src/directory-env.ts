// A directory named by an environment variable, made if missing and checked writable as the
// configuration is read: a wrong one stops the start with one line naming the variable, before
// the server takes a request, rather than failing the first upload.
import { accessSync, constants, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/** Optional: without it, each use says what it does instead (DiskFiles: a temporary folder); `what` it holds. */
export const writableDirectory = (what: string) =>
  z
    .string()
    .optional()
    .transform((dir, context) => {
      if (dir === undefined) return undefined;
      const absolute = resolve(dir);
      try {
        mkdirSync(absolute, { recursive: true });
        accessSync(absolute, constants.W_OK);
        return absolute;
      } catch (error) {
        context.addIssue({
          code: "custom",
          message: `cannot write to ${absolute} (${(error as NodeJS.ErrnoException).code})`,
        });
        return z.NEVER;
      }
    })
    .describe(`${what}; made if missing, checked writable at start (none: a new temporary one)`);
