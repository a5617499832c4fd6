// What `pnpm compare:busy` reports: for each journey on each app, in how many of the runs on a
// busy machine its outcome differed from its expectation (what a quiet machine gives), with the
// first such failure in words, and how long the runs took.
import type { JourneyResult } from "../journeys/result";
import type { ComparisonReport } from "./comparison-report";

export interface BusyRun {
  readonly seconds: number;
  readonly report: Pick<ComparisonReport, "results">;
}

export interface BusySetting {
  /** CPU-bound processes beside each run. */
  readonly burners: number;
  /** For people: cores, CPU, Node. */
  readonly machine: string;
  /** The flags given to pnpm compare. */
  readonly compareArgs: readonly string[];
  /** Runs of pnpm compare that wrote no report (they could not run), left out of `runs`. */
  readonly unjudged?: number;
}

export interface JourneyUnderLoad {
  readonly journey: string;
  readonly app: string;
  readonly expected: string;
  /** Runs in which it was judged (not skipped). */
  readonly runs: number;
  /** Runs whose outcome was not the expected one. */
  readonly flips: number;
  /** The first flip's failure, in the journey's words. */
  readonly firstFlip: string | null;
}

export function verdictsUnderLoad(
  runs: readonly BusyRun[],
  setting: BusySetting,
): { markdown: string; json: object; flipped: boolean } {
  const rows = new Map<string, JourneyUnderLoad>();
  for (const { report } of runs) {
    for (const result of report.results) {
      if (result.outcome === "skipped") continue;
      const key = `${result.journey}:${result.app}`;
      const row = rows.get(key) ?? { ...keyOf(result), runs: 0, flips: 0, firstFlip: null };
      rows.set(key, {
        ...row,
        runs: row.runs + 1,
        flips: row.flips + (result.matched ? 0 : 1),
        firstFlip: row.firstFlip ?? (result.matched ? null : `${result.outcome}: ${result.failure}`),
      });
    }
  }
  const journeys = [...rows.values()];
  const seconds = runs.map((run) => run.seconds).sort((a, b) => a - b);
  const flipped = journeys.some((row) => row.flips > 0);
  const allAsExpected = runs.filter(({ report }) => report.results.every((result) => result.matched)).length;
  const date = new Date().toISOString().slice(0, 10);
  const markdown = [
    `${date}, ${setting.machine}: \`pnpm compare${setting.compareArgs.map((arg) => ` ${arg}`).join("")}\`, ` +
      `${runs.length} runs, each beside ${setting.burners} CPU-bound process(es) ` +
      `(\`pnpm compare:busy --runs ${runs.length} --burners ${setting.burners}\`).`,
    "",
    `Every verdict as expected in **${allAsExpected} of ${runs.length + (setting.unjudged ?? 0)}** runs; ` +
      `a run took ${seconds[0]?.toFixed(0)}–${seconds.at(-1)?.toFixed(0)} s.` +
      (setting.unjudged ? ` ${setting.unjudged} run(s) could not run at all, and wrote no report.` : ""),
    "",
    "| journey | app | expected | not as expected | the first time, in its words |",
    "| --- | --- | --- | --- | --- |",
    ...journeys.map(
      (row) =>
        `| ${row.journey} | ${row.app} | ${row.expected} | ${row.flips} of ${row.runs} | ` +
        `${row.firstFlip?.replace(/\|/g, "\\|") ?? ""} |`,
    ),
    "",
  ].join("\n");
  return { markdown, json: { date, ...setting, runs: runs.length, allAsExpected, seconds, journeys }, flipped };
}

const keyOf = (result: JourneyResult) => ({ journey: result.journey, app: result.app, expected: result.expected });
