#!/usr/bin/env node
// `pnpm readme:diagram`: regenerates the README's sequence diagram (server-crash on the stateful
// app) from a real run: `pnpm compare --journey server-crash`, whose compare.md holds the diagram,
// pasted between the README's `<!-- readme:diagram -->` markers. Exit code: 0, 1 if the run's
// outcomes did not match their expectations (nothing is written then), 2 if it could not run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const README = join(root, "README.md");
const START = "<!-- readme:diagram -->";
const END = "<!-- /readme:diagram -->";

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`Usage: pnpm readme:diagram

Runs pnpm compare --journey server-crash (real clusters, private stores) and puts the stateful
app's sequence diagram from its compare.md into README.md, between ${START} and ${END}.
Exit code: 0, 1 if the run did not match its expectations, 2 if it could not run.`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "readme-diagram-"));
try {
  const compare = join(root, "tools", "compare", "dist", "commands", "compare.js");
  const run = spawnSync(process.execPath, [compare, "--journey", "server-crash", "--report-dir", dir], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (run.status !== 0) {
    console.error(`readme:diagram: pnpm compare exited ${run.status ?? run.signal}; README.md left as it was`);
    process.exit(run.status === 1 ? 1 : 2);
  }
  const report = readFileSync(join(dir, "compare.md"), "utf8");
  const diagram = /<summary><b>server-crash<\/b>, stateful:[^<]*<\/summary>\n\n(```mermaid\n[\s\S]*?```)/.exec(
    report,
  )?.[1];
  if (!diagram) {
    console.error("readme:diagram: compare.md has no diagram of server-crash on the stateful app");
    process.exit(2);
  }
  const readme = readFileSync(README, "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) {
    console.error(`readme:diagram: README.md has no ${START} … ${END} markers`);
    process.exit(2);
  }
  writeFileSync(README, `${readme.slice(0, start + START.length)}\n\n${diagram}\n\n${readme.slice(end)}`);
  console.log("readme:diagram: README.md has the diagram of this run");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
