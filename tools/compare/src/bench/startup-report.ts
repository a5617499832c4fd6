// bench-startup.md and the terminal: one row per target, the apps over the floor.
import type { StartupBenchReport } from "./startup-bench";
import { markdownTable } from "./markdown-table";

export const STARTUP_HEADERS = ["target", "what starts", "spawn to ready: median", "min–max", "CPU to ready: median"];

export function startupRows({ runs }: StartupBenchReport): string[][] {
  return runs.map((run) => [
    run.target,
    run.what,
    `${run.medianReadyMs} ms`,
    `${run.minReadyMs}–${run.maxReadyMs} ms`,
    `${run.medianCpuMs} ms`,
  ]);
}

export function startupHeadlines({ runs, overFloor, settings }: StartupBenchReport): string[] {
  const median = (target: string) => runs.find((run) => run.target === target)!.medianReadyMs;
  return [
    `spawn to ready, median of ${settings.starts}: stateful ${median("stateful")} ms, stateless ${median("stateless")} ms ` +
      `(migrated database), a bare Node http server ${median("floor")} ms`,
    `over the floor: stateful ${overFloor.stateful}, stateless ${overFloor.stateless}`,
  ];
}

export function startupMarkdown(report: StartupBenchReport): string {
  const { settings } = report;
  return [
    "# pnpm bench --startup",
    "",
    `Each target started ${settings.starts} times (after one start not counted), the targets in turns; ` +
      `timed from the spawn to the first 200 from GET /readyz; Node ${settings.node}.`,
    "",
    ...markdownTable(STARTUP_HEADERS, startupRows(report)),
    "",
    ...startupHeadlines(report).map((line) => `- ${line}`),
    "",
  ].join("\n");
}
