#!/usr/bin/env node
// `pnpm memory`: what a session costs in a server's memory (memory/measure.ts), for each app.
import { Command, Option } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { measure, type MemoryResult } from "../memory/measure";
import { TestBed } from "../rig/test-bed";
import { ARCHITECTURES, type Architecture } from "../vocabulary";
import { wholeNumber } from "./options";
import { EXIT, runCommand } from "./runner";

interface MemoryOptions {
  logins: number;
  concurrency: number;
  app?: Architecture;
  reportDir: string;
}

const program = new Command()
  .name("pnpm memory")
  .description("Measure what sessions cost in a server's memory: RSS of one instance before and after N logins.")
  .option(
    "--logins <n>",
    "users who log in and add a pizza (each login costs ~40 ms of scrypt)",
    wholeNumber(1, 1_000_000),
    10_000,
  )
  .option("--concurrency <n>", "logins in flight at once", wholeNumber(1, 256), 8)
  .addOption(new Option("--app <app>", "measure only this app").choices(ARCHITECTURES))
  .option("--report-dir <dir>", "where memory.json is written", "reports")
  .addHelpText(
    "after",
    [
      "",
      "Examples:",
      "  pnpm memory                          10,000 logins on each app (a few minutes: scrypt)",
      "  pnpm memory --logins 1000 --app stateful",
      "",
      "Exit code: 0, 2 on a set-up error, 130 on Ctrl-C.",
    ].join("\n"),
  );

runCommand<MemoryOptions>({
  program,
  async run(options, { say }) {
    const apps = options.app ? [options.app] : [...ARCHITECTURES];
    // A store only if an app of the run keeps its state in one.
    const bed = await TestBed.open({ lb: "builtin", needsStore: apps.includes("stateless") });
    try {
      const results: MemoryResult[] = [];
      for (const app of apps) {
        say(`${app}: ${options.logins} logins, ${options.concurrency} at a time…`);
        const result = await measure(app, options.logins, options.concurrency, await bed.instanceEnv(app), (line) =>
          process.stderr.write(`${line}\n`),
        );
        results.push(result);
        say(
          `${app.padEnd(9)} ${result.sessionsInMemory} sessions in memory, RSS ${result.rssBeforeMb} MB → ` +
            `${result.rssAfterMb} MB (${result.bytesPerLogin} bytes per login), ${result.seconds} s`,
        );
      }
      await mkdir(options.reportDir, { recursive: true });
      const file = join(options.reportDir, "memory.json");
      await writeFile(file, `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
      say(`Report: ${file}`);
      return EXIT.ok;
    } finally {
      await bed.close();
    }
  },
});
