#!/usr/bin/env node
// `pnpm diff:apps`: the unified diff of the two apps' sources. What it shows is the whole lesson:
// where state lives (memory and disk vs Redis, PostgreSQL and object storage) and how a user is
// recognised (session cookie vs JWT).
// `--steps` shows it one idea at a time, through the workshop lab's expected answer:
//   step 1, stateful → the lab's answer: sessions, carts, login counters and the chat's presence,
//   routing and typing move to Redis, orders, store credit and the chat's messages to PostgreSQL,
//   avatars to object storage;
//   step 2, the lab's answer → stateless: the session cookie gives way to a signed JWT.
// `--budget` counts the changed lines (added + deleted, imports and comments included: what
// `--stat` sums) and fails above BUDGET: what is not the lesson belongs in the kits.
// Other arguments go to `git diff` (e.g. `pnpm diff:apps --stat`).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { labParts, writeLabSources } from "./lab-tree.mjs";

/** The most changed lines the two apps may differ by: the lesson, and only the lesson. */
const BUDGET = 950;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const steps = args.includes("--steps");
const gitArgs = args.filter((arg) => arg !== "--steps");
if (gitArgs.includes("--help") || gitArgs.includes("-h")) {
  console.log(`Usage: pnpm diff:apps [--steps] [git diff options, e.g. --stat]

  (none)    the diff of apps/stateful/src and apps/stateless/src
  --budget  how many lines changed (added + deleted, as --stat sums them), against the budget of
            ${BUDGET}: exits 1 above it
  --steps   the same in two steps, one idea each, through the workshop lab's expected answer:
            1. where state lives (stateful → sessions, carts, login counters, the chat in Redis;
               orders and store credit in PostgreSQL)
            2. how a user is recognised (session cookie → signed JWT naming a session record)`);
  process.exit(0);
}
const color = process.stdout.isTTY ? ["-c", "color.ui=always"] : [];

/** Prints the diff of two folders (relative to `cwd`); git exits 1 when they differ, as expected here. */
function diff(cwd, from, to) {
  const result = spawnSync("git", [...color, "diff", "--no-index", ...gitArgs, "--", from, to], {
    cwd,
    stdio: "inherit",
  });
  if (result.error) {
    console.error(`diff:apps needs git on PATH (${result.error.message})`);
    process.exit(2);
  }
  if (result.status !== 0 && result.status !== 1) process.exit(result.status ?? 2);
}

if (args.includes("--budget")) {
  const numstat = spawnSync(
    "git",
    ["diff", "--no-index", "--numstat", "--", "apps/stateful/src", "apps/stateless/src"],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (numstat.error) {
    console.error(`diff:apps needs git on PATH (${numstat.error.message})`);
    process.exit(2);
  }
  const changed = numstat.stdout
    .trim()
    .split("\n")
    .map((line) => line.split("\t"))
    .reduce((sum, [added, deleted]) => sum + Number(added) + Number(deleted), 0);
  const verdict = changed <= BUDGET ? "within" : "OVER";
  console.log(`diff:apps: ${changed} changed lines, ${verdict} the budget of ${BUDGET}`);
  process.exit(changed <= BUDGET ? 0 : 1);
}

if (!steps) {
  diff(root, "apps/stateful/src", "apps/stateless/src");
  process.exit(0);
}

// The three trees side by side under short names, so that the diff's paths read as the story.
const work = mkdtempSync(join(tmpdir(), "diff-apps-"));
try {
  cpSync(join(root, "apps", "stateful", "src"), join(work, "stateful"), { recursive: true });
  writeLabSources(root, join(work, "step-1"), { solvedParts: labParts(root).length });
  cpSync(join(root, "apps", "stateless", "src"), join(work, "stateless"), { recursive: true });
  console.log("# Step 1 of 2: where state lives. The stateful app with its sessions (connect-redis), carts,");
  console.log("# login counters and the chat's presence in Redis, its orders, store credit and chat messages");
  console.log("# in PostgreSQL, its avatars in object storage: the workshop lab's expected answer.\n");
  diff(work, "stateful", "step-1");
  console.log("\n# Step 2 of 2: how a user is recognised. express-session's cookie gives way to a signed JWT");
  console.log("# that names a session record in Redis, checked by any instance: the stateless app.\n");
  diff(work, "step-1", "stateless");
} finally {
  rmSync(work, { recursive: true, force: true });
}
