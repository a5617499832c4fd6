// The workshop's lab: a copy of the stateful app (made by `pnpm lab:reset`) that attendees make
// stateless. `pnpm compare --app lab` compiles it first, and says in one line what is missing.
import { MissingToolError } from "@cart/local-infra";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import type { JourneyName } from "../vocabulary";

/** One part of the lesson, one per story (apps/lab/parts.json): the journeys that judge it (none: a part to read). */
export interface LabPart {
  readonly part: number;
  readonly name: string;
  readonly story: string;
  readonly journeys: readonly JourneyName[];
  /** The places of state the part moves out, as `pnpm find-state` labels them. */
  readonly audit: readonly string[];
}

/** The lab's parts, in order; each builds on the ones before it. */
export function labParts(): LabPart[] {
  const home = dirname(require.resolve("@cart/lab/package.json"));
  return (JSON.parse(readFileSync(join(home, "parts.json"), "utf8")) as { parts: LabPart[] }).parts;
}

export class LabMissingError extends MissingToolError {
  constructor(dir: string) {
    super(
      `no lab in ${relative(process.cwd(), dir) || dir}: create it with "pnpm lab:reset" (a copy of apps/stateful ` +
        `to make stateless; see docs/workshop.md)`,
    );
  }
}

/** The build every command runs first, which also builds a lab (scripts/build.mjs --lab). */
const BUILD = join(__dirname, "..", "..", "..", "..", "scripts", "build.mjs");

/**
 * Compiles the lab (tsc -b, strict, like every package here; its compiler errors are the error),
 * and bundles its server as the apps' are, so that its servers start as fast as theirs.
 */
export async function buildLab(dir: string): Promise<void> {
  const config = join(dir, "tsconfig.build.json");
  if (!existsSync(join(dir, "src", "server.ts")) || !existsSync(config)) throw new LabMissingError(dir);
  await promisify(execFile)(process.execPath, [BUILD, "--lab", dir], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string; message: string }) => {
      // The compiler's errors on its output; the bundler's (after it compiled) on its errors.
      if (error.stdout) throw new Error(`the lab does not compile:\n${error.stdout}`);
      throw new Error(`the lab could not be built:\n${error.stderr || error.message}`);
    },
  );
}
