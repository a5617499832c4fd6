#!/usr/bin/env node
// `pnpm lab:check --part N`: judges the lab (apps/lab/src) by part N's journeys, with real
// clusters: `pnpm compare --app lab --part N`, whose table and exit code it passes on (0: every
// journey of the part passed). `--diff` instead shows the attendee's files beside the expected
// answer after parts 1..N (a unified diff: `-` the answer's lines, `+` yours), to compare work
// part by part; it starts nothing. After the journeys, the state audit of the lab (`pnpm
// find-state`): each place it still keeps state in one server, with the part that moves it
// (`--no-audit` leaves it out, for a quicker answer while working on a part).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isLabNote, labParts, writeLabSources } from "./lab-tree.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const parts = labParts(root);
const usage = `Usage: pnpm lab:check [--part <n>] [--no-audit] [--diff] [--dir <dir>]

  --part <n>   judge only part n (default: every part, 1 to ${parts.length}):
${parts.map(({ part, name, journeys }) => `                 ${part}. ${name}${journeys.length ? "" : " (to read: no journey judges it)"}`).join("\n")}
  --no-audit   only the journeys: leave out the state audit that follows them (a few seconds sooner)
  --diff       show your files beside the expected answer after parts 1 to n (- the answer, + yours),
               instead of judging
  --dir <dir>  the lab there instead of apps/lab (as pnpm lab:reset --dir made it)`;

function fail(message) {
  console.error(`lab:check: ${message}`);
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    options: {
      part: { type: "string" },
      "no-audit": { type: "boolean" },
      diff: { type: "boolean" },
      dir: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
} catch (error) {
  fail(`${error.message}\n${usage}`);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}
const part = options.part === undefined ? undefined : Number(options.part);
if (part !== undefined && (!Number.isInteger(part) || part < 1 || part > parts.length))
  fail(`--part must be a whole number from 1 to ${parts.length}`);
const dir = resolve(options.dir ?? join(root, "apps", "lab"));

if (options.diff) {
  const upTo = part ?? parts.length;
  if (!existsSync(join(dir, "src"))) fail(`no lab in ${relative(root, dir)}: make it with pnpm lab:reset`);
  const work = mkdtempSync(join(tmpdir(), "lab-check-"));
  let status;
  try {
    writeLabSources(root, join(work, "answer"), { solvedParts: upTo, forLab: false });
    // Yours without the hints and the banner lab:reset wrote: they are not your work.
    mkdirSync(join(work, "yours"));
    for (const file of readdirSync(join(dir, "src")).filter((name) => name.endsWith(".ts"))) {
      const lines = readFileSync(join(dir, "src", file), "utf8").split("\n");
      writeFileSync(join(work, "yours", file), lines.filter((line) => !isLabNote(line)).join("\n"));
    }
    console.log(
      `# The expected answer after part ${upTo} (-, answer/) and yours (+, yours/: ${relative(root, dir)}/src):\n`,
    );
    const diff = spawnSync("git", ["diff", "--no-index", "--", "answer", "yours"], { cwd: work, stdio: "inherit" });
    if (diff.error) console.error(`lab:check: needs git on PATH (${diff.error.message})`);
    status = diff.status === 0 || diff.status === 1 ? 0 : 2;
  } finally {
    // Before exiting: process.exit would skip this.
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(status);
}

if (part !== undefined && parts[part - 1].journeys.length === 0) {
  console.log(
    `lab:check: part ${part}, ${parts[part - 1].name}, is a part to read: no journey tells it from the part ` +
      `before (pnpm diff:apps --part ${part}).`,
  );
  process.exit(0);
}
const compare = join(root, "tools", "compare", "dist", "commands", "compare.js");
const judged = spawnSync(process.execPath, [compare, "--app", "lab", ...(part ? ["--part", String(part)] : [])], {
  stdio: "inherit",
  env: { ...process.env, LAB_DIR: dir },
});
if (!options["no-audit"]) await printAudit(join(dir, "src"));
process.exit(judged.status ?? 2);

/** The state audit of the lab: each place still keeping state in one server, and the part that moves it. */
async function printAudit(src) {
  const require = createRequire(import.meta.url);
  const { findState, findingLabel } = require(
    join(root, "packages", "eslint-plugin-stateless", "dist", "find-state.js"),
  );
  const { findings } = await findState(src);
  const command = `pnpm find-state ${relative(root, src)}`;
  if (findings.length === 0) {
    console.log(`\nThe state audit (${command}) finds no state left in one server.`);
    return;
  }
  console.log(`\nThe state audit (${command}): ${findings.length} place(s) still keep state in one server:`);
  for (const finding of findings) {
    const label = findingLabel(finding);
    const mover = parts.find(({ audit = [] }) => audit.includes(label));
    const by = mover ? `part ${mover.part} (${mover.name})` : "none of the parts (yours?)";
    console.log(`  ${finding.file}:${finding.line}  ${label}: moved out by ${by}`);
  }
}
