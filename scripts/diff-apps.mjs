#!/usr/bin/env node
// `pnpm diff:apps`: the unified diff of the two apps' sources. What it shows is the whole lesson:
// where state lives (memory vs Redis) and how a user is recognised (session cookie vs JWT).
// Extra arguments go to `git diff` (e.g. `pnpm diff:apps --stat`).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = ["diff", "--no-index", ...process.argv.slice(2), "--", "apps/stateful/src", "apps/stateless/src"];
const color = process.stdout.isTTY ? ["-c", "color.ui=always"] : [];
const result = spawnSync("git", [...color, ...args], { cwd: root, stdio: "inherit" });
if (result.error) {
  console.error(`diff:apps needs git on PATH (${result.error.message})`);
  process.exit(2);
}
// git diff --no-index exits 1 when the trees differ, which is the expected case here.
process.exit(result.status === 1 ? 0 : (result.status ?? 2));
