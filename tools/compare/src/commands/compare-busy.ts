#!/usr/bin/env node
// `pnpm compare:busy`: does every verdict hold on a busy machine? Runs `pnpm compare` (the whole
// default matrix, or what the flags after `--` choose) again and again with CPU-bound processes of
// its own running beside it, one per core by default, and reports per journey how often its
// outcome differed from its expectation: what a quiet machine gives, and what CI relies on. A
// journey whose verdict flips because the machine is busy teaches the wrong lesson. The CPU-bound
// processes are this command's own, started before each run and stopped after it (and each ends by
// itself after an hour at the most); nothing else is loaded.
import { ManagedProcess } from "@cart/local-infra";
import { Command } from "commander";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { verdictsUnderLoad, type BusyRun } from "../compare/busy-report";
import { wholeNumber } from "./options";
import { EXIT, runCommand } from "./runner";

interface BusyOptions {
  runs: number;
  burners: number;
  reportDir: string;
}

const program = new Command()
  .name("pnpm compare:busy")
  .description(
    "Run pnpm compare again and again beside CPU-bound processes of its own, and report per journey how often its verdict differed from its expectation.",
  )
  .option("--runs <n>", "how many runs of pnpm compare", wholeNumber(1, 100), 10)
  .option("--burners <n>", "CPU-bound processes beside each run (default: one per core)", wholeNumber(0, 64))
  .option("--report-dir <dir>", "where busy.json and busy.md are written", "reports")
  .argument("[compare-args...]", "after --: flags for pnpm compare (--lb haproxy, --journey chat-typing…)")
  .addHelpText(
    "after",
    [
      "",
      "Examples:",
      "  pnpm compare:busy                          10 runs of the whole matrix, one busy process per core",
      "  pnpm compare:busy --runs 5 -- --journey chat-typing --journey chat-presence",
      "",
      "Exit code: 0 if no verdict flipped, 1 if one did (or a run judged nothing), 2 on a set-up error, 130 on Ctrl-C.",
    ].join("\n"),
  );

/** A process that keeps one core busy until it is stopped, or for an hour at the most. */
const BURNER = "const end = Date.now() + 3_600_000; while (Date.now() < end);";

runCommand<BusyOptions>({
  program,
  async run(options, { say }) {
    const burners = options.burners ?? availableParallelism();
    const compareArgs = program.args;
    const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}`;
    say(
      `pnpm compare${compareArgs.length ? ` ${compareArgs.join(" ")}` : ""}, ${options.runs} runs, ` +
        `each beside ${burners} CPU-bound process(es); ${machine}`,
    );
    const runs: BusyRun[] = [];
    let unjudged = 0;
    for (let n = 1; n <= options.runs; n++) {
      const busy = await Promise.all(
        Array.from({ length: burners }, (_, i) =>
          ManagedProcess.start(`busy-${i + 1}`, process.execPath, ["-e", BURNER]),
        ),
      );
      const dir = await mkdtemp(join(tmpdir(), "compare-busy-"));
      const started = Date.now();
      try {
        const script = join(__dirname, "compare.js");
        const compare = await ManagedProcess.start("pnpm compare", process.execPath, [
          script,
          ...compareArgs,
          "--report-dir",
          dir,
        ]);
        const { code } = await compare.exited;
        const written = await readFile(join(dir, "compare.json"), "utf8").catch(() => undefined);
        // A run that could not judge anything (exit 2) is said, and counted against the verdicts.
        if (!written) {
          unjudged++;
          say(`run ${n} of ${options.runs}: pnpm compare exited ${code} with no report:\n${compare.recentOutput}`);
          continue;
        }
        const report = JSON.parse(written) as BusyRun["report"];
        runs.push({ seconds: (Date.now() - started) / 1000, report });
        const flips = report.results.filter((result) => !result.matched);
        say(
          `run ${n} of ${options.runs}: ${report.results.length} results, ${flips.length} not as expected, ` +
            `${Math.round((Date.now() - started) / 1000)} s` +
            flips.map((flip) => `\n  ${flip.journey}:${flip.app} ${flip.outcome}: ${flip.failure}`).join(""),
        );
      } finally {
        await Promise.all(busy.map((burner) => burner.kill()));
        await rm(dir, { recursive: true, force: true });
      }
    }
    const { markdown, json, flipped } = verdictsUnderLoad(runs, { burners, machine, compareArgs, unjudged });
    await mkdir(options.reportDir, { recursive: true });
    await writeFile(join(options.reportDir, "busy.json"), `${JSON.stringify(json, null, 2)}\n`);
    await writeFile(join(options.reportDir, "busy.md"), markdown);
    say(`\n${markdown}`);
    say(`Reports: ${join(options.reportDir, "busy.json")}, ${join(options.reportDir, "busy.md")}`);
    return flipped || unjudged > 0 ? EXIT.mismatch : EXIT.ok;
  },
});
