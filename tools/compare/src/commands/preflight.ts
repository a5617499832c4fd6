#!/usr/bin/env node
// `pnpm preflight`: before a first run, what this machine has and lacks. Every program outside npm
// that the project uses (found, or the line that installs it), whether the machine has the cores
// and the memory that `pnpm compare`'s clusters need, and what to expect when all is well. Named
// so that pnpm has no command of its own by that name (`pnpm doctor` is pnpm's check of itself).
// Exit 0 when everything required is there (optional programs only widen what runs, and a small
// machine is said, not refused), 2 when a required program is missing.
import { PREREQUISITES } from "@cart/local-infra";
import { Command } from "commander";
import { availableParallelism, freemem } from "node:os";
import { EXIT, runCommand } from "./runner";

/** `pnpm compare`'s default matrix at its peak: 1.8 GB (summed PSS of its processes, 2026-12-06). */
const COMPARE_NEEDS_GIB = 2;
/** Its lanes run side by side, and every timing in the docs was measured on 2 cores. */
const COMPARE_WANTS_CORES = 2;

const program = new Command()
  .name("pnpm preflight")
  .description(
    "Before a first run: every prerequisite (Node.js, pnpm, redis-server, PostgreSQL, haproxy, Chromium, " +
      "docker-compose), found or how to install it; the cores and memory pnpm compare needs; what to expect.",
  )
  .addHelpText("after", "\nExit code: 0 when every required program is there, 2 when one is missing.");

runCommand<Record<string, never>>({
  program,
  async run(_options, { say }) {
    const platform = process.platform === "darwin" ? "macos" : "debian";
    let requiredMissing = 0;
    const line = (status: string, label: string, text: string) =>
      say(`${status.padEnd(8)} ${label.padEnd(26)} ${text}`);
    for (const tool of PREREQUISITES) {
      const result = tool.find();
      const label = `${tool.name} (${tool.required ? "required" : "optional"})`;
      if ("found" in result) {
        line("ok", label, result.found);
        continue;
      }
      if (tool.required) requiredMissing++;
      line("MISSING", label, `${result.missing}; needed for ${tool.neededFor}`);
      say(`${"".padEnd(9)}install: ${tool.install[platform]}`);
    }
    const cores = availableParallelism();
    const freeGib = freemem() / 2 ** 30;
    const small = cores < COMPARE_WANTS_CORES || freeGib < COMPARE_NEEDS_GIB;
    line(
      small ? "SMALL" : "ok",
      "this machine",
      `${cores} core(s), ${freeGib.toFixed(1)} GiB free; pnpm compare needs about ${COMPARE_NEEDS_GIB} GiB ` +
        `and wants ${COMPARE_WANTS_CORES} cores or more`,
    );
    if (cores < COMPARE_WANTS_CORES) {
      say(`${"".padEnd(9)}on 1 core it runs, more slowly; the journeys' time budgets stretch with the machine`);
    }
    if (freeGib < COMPARE_NEEDS_GIB) {
      say(`${"".padEnd(9)}close what you can, or run a few journeys at a time: pnpm compare --journey server-crash`);
    }
    if (requiredMissing > 0) {
      say(`${requiredMissing} required program(s) missing: install them, then run pnpm preflight again.`);
      return EXIT.setUp;
    }
    say(
      [
        "Everything required is here. Without an optional program, what needs it is skipped by pnpm test",
        "(CI=true fails instead) and refused in one line by the commands.",
        "Next: pnpm compare (20-30 s on 2 cores). It prints a verdict per journey and app, then a table;",
        '"fail (as expected)" on the stateful side is the lesson, not a problem. It ends with',
        '"Every outcome matched its expectation." and exits 0 when reality matched the expected matrix.',
      ].join("\n"),
    );
    return EXIT.ok;
  },
});
