// The lab's sources, shared by `pnpm lab:reset` (which writes them into apps/lab) and
// `pnpm diff:apps --steps` (which diffs the expected answer as the step between the two apps):
// a copy of the stateful app, and with `solved` the expected answer on top of it (the stateless
// app's Redis repositories and apps/lab/solution/).
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const BANNER = "// LAB: a copy of apps/stateful/src (pnpm lab:reset). Make it stateless: see docs/workshop.md.\n";

export function writeLabSources(root, src, { solved = false } = {}) {
  mkdirSync(src, { recursive: true });
  const statefulSrc = join(root, "apps", "stateful", "src");
  for (const file of readdirSync(statefulSrc).filter((name) => name.endsWith(".ts"))) {
    cpSync(join(statefulSrc, file), join(src, file));
  }
  writeFileSync(join(src, "app.ts"), BANNER + readFileSync(join(src, "app.ts"), "utf8"));
  if (!solved) return;
  const statelessSrc = join(root, "apps", "stateless", "src");
  for (const file of ["cart-repository.ts", "order-repository.ts"]) cpSync(join(statelessSrc, file), join(src, file));
  cpSync(join(root, "apps", "lab", "solution"), src, { recursive: true });
}
