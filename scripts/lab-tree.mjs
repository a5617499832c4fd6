// The lab's sources, shared by `pnpm lab:reset` (which writes them into apps/lab) and
// `pnpm diff:apps --steps` (which diffs the expected answer as the step between the two apps):
// a copy of the stateful app and, with `solvedParts`, the expected answer of parts 1..N on top of
// it (for each part: the stateless app's files it takes as they are, then its own solution
// files). The parts are listed in apps/lab/parts.json.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const BANNER = "// LAB: a copy of apps/stateful/src (pnpm lab:reset). Make it stateless: see docs/workshop.md.\n";

/** The lab's parts, in order: { part, story, journeys, fromStateless, solution }. */
export function labParts(root) {
  return JSON.parse(readFileSync(join(root, "apps", "lab", "parts.json"), "utf8")).parts;
}

export function writeLabSources(root, src, { solvedParts = 0 } = {}) {
  mkdirSync(src, { recursive: true });
  const statefulSrc = join(root, "apps", "stateful", "src");
  for (const file of readdirSync(statefulSrc).filter((name) => name.endsWith(".ts"))) {
    cpSync(join(statefulSrc, file), join(src, file));
  }
  writeFileSync(join(src, "app.ts"), BANNER + readFileSync(join(src, "app.ts"), "utf8"));
  const statelessSrc = join(root, "apps", "stateless", "src");
  for (const { fromStateless, solution } of labParts(root).slice(0, solvedParts)) {
    for (const file of fromStateless) cpSync(join(statelessSrc, file), join(src, file));
    cpSync(join(root, "apps", "lab", solution), src, { recursive: true });
  }
}
