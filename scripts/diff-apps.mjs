#!/usr/bin/env node
// `pnpm diff:apps`: the unified diff of the two apps' sources. What it shows is the whole lesson:
// where state lives (memory and disk vs Redis, PostgreSQL and object storage), how a user is
// recognised (session cookie vs JWT), and the rules that sharing state across servers needs.
// `--part N` shows one story of it: the lesson's parts (apps/lab/parts.json), each a tree built on
// the one before it, from the stateful app to the stateless one (scripts/lab-tree.mjs).
// `--budget` counts the changed lines (added + deleted, imports and comments included: what
// `--stat` sums), the whole and each part's, and fails above their budgets: what is not the
// lesson belongs in the kits.
// Other arguments go to `git diff` (e.g. `pnpm diff:apps --stat`).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { labParts, writeLabSources } from "./lab-tree.mjs";

/** The most changed lines the two apps may differ by: the lesson, and only the lesson. */
const BUDGET = 950;
/** The most one part may change: one story, read in one sitting. */
const PART_BUDGET = 250;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const parts = labParts(root);

function fail(message) {
  console.error(`diff:apps: ${message}`);
  process.exit(2);
}

// Ours are taken out; every other argument goes to git diff as it was given, in its order.
const gitArgs = [];
let partArg;
let budget = false;
let help = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === "--budget") budget = true;
  else if (arg === "--help" || arg === "-h") help = true;
  else if (arg === "--part") partArg = argv[++i] ?? fail("--part needs a number");
  else if (arg.startsWith("--part=")) partArg = arg.slice("--part=".length);
  else gitArgs.push(arg);
}

if (help) {
  console.log(`Usage: pnpm diff:apps [--part <n>] [--budget] [git diff options, e.g. --stat]

  (none)      the diff of apps/stateful/src and apps/stateless/src
  --part <n>  one part of it, one story, built on the parts before it:
${parts.map(({ part, name }) => `                ${part}. ${name}`).join("\n")}
  --budget    how many lines change (added + deleted, as --stat sums them), in all and in each
              part, against their budgets (${BUDGET} in all, ${PART_BUDGET} a part): exits 1 above one`);
  process.exit(0);
}

const color = process.stdout.isTTY && !budget ? ["-c", "color.ui=always"] : [];

/** Runs git diff of two folders (relative to `cwd`); git exits 1 when they differ, as expected here. */
function gitDiff(cwd, from, to, args, capture = false) {
  const result = spawnSync("git", [...color, "diff", "--no-index", ...args, "--", from, to], {
    cwd,
    stdio: capture ? "pipe" : "inherit",
    encoding: "utf8",
  });
  if (result.error) fail(`needs git on PATH (${result.error.message})`);
  if (result.status !== 0 && result.status !== 1) process.exit(result.status ?? 2);
  return result.stdout;
}

/** Changed lines between two folders: added + deleted, as `--stat` sums them. */
function changedLines(cwd, from, to) {
  return gitDiff(cwd, from, to, ["--numstat"], true)
    .split("\n")
    .filter(Boolean)
    .reduce((sum, line) => {
      const [added, deleted] = line.split("\t");
      return sum + Number(added) + Number(deleted);
    }, 0);
}

/**
 * Writes the trees of the parts into a folder of their own, under names that read as the story:
 * stateful, part-1, …, stateless (the last part's tree is the stateless app). Resolves with
 * `work(dir, treeOf)`, the folder removed after.
 */
function withTrees(work) {
  const dir = mkdtempSync(join(tmpdir(), "diff-apps-"));
  const treeOf = (n) => (n === 0 ? "stateful" : n === parts.length ? "stateless" : `part-${n}`);
  try {
    cpSync(join(root, "apps", "stateful", "src"), join(dir, "stateful"), { recursive: true });
    cpSync(join(root, "apps", "stateless", "src"), join(dir, "stateless"), { recursive: true });
    for (let n = 1; n < parts.length; n++)
      writeLabSources(root, join(dir, treeOf(n)), { solvedParts: n, forLab: false });
    return work(dir, treeOf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (budget) {
  const whole = changedLines(root, "apps/stateful/src", "apps/stateless/src");
  let over = whole > BUDGET;
  console.log(`diff:apps: ${whole} changed lines, ${whole <= BUDGET ? "within" : "OVER"} the budget of ${BUDGET}`);
  withTrees((dir, treeOf) => {
    for (const { part, name } of parts) {
      const changed = changedLines(dir, treeOf(part - 1), treeOf(part));
      over ||= changed > PART_BUDGET;
      const verdict = changed <= PART_BUDGET ? "within" : "OVER";
      console.log(`  part ${part}, ${name}: ${changed} changed lines, ${verdict} the budget of ${PART_BUDGET}`);
    }
  });
  process.exit(over ? 1 : 0);
}

if (partArg === undefined) {
  gitDiff(root, "apps/stateful/src", "apps/stateless/src", gitArgs);
  process.exit(0);
}

const n = Number(partArg);
if (!Number.isInteger(n) || n < 1 || n > parts.length) fail(`--part must be a whole number from 1 to ${parts.length}`);
const { name, story, journeys } = parts[n - 1];
withTrees((dir, treeOf) => {
  console.log(`# Part ${n} of ${parts.length}, ${name}: ${story}.`);
  console.log(
    journeys.length > 0
      ? `# Judged by: ${journeys.join(", ")} (pnpm compare --app lab --part ${n}).\n`
      : "# No journey tells it apart from the part before: read it, the lab leaves it out.\n",
  );
  gitDiff(dir, treeOf(n - 1), treeOf(n), gitArgs);
});
