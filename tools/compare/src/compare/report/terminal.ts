// What a person sees: a line per journey while it runs, then the side-by-side table.
import Table from "cli-table3";
import { createColors } from "picocolors";
import type { JourneyResult } from "../../journeys/result";
import { storeTimes, type Step } from "../../journeys/steps";
import { formatMs } from "../../util";
import type { AppName } from "../../vocabulary";
import type { ComparisonReport } from "../comparison-report";
import {
  besideLoopback,
  describeSetup,
  describeTimes,
  describeTiming,
  figuresOf,
  skipReasons,
  verdictWords,
  mismatchCount,
  type PassTimes,
} from "./verdict";

export function terminalPainter(useColor: boolean) {
  const c = createColors(useColor);

  function paintVerdict(result: JourneyResult): string {
    const words = verdictWords(result);
    if (result.outcome === "skipped") return c.dim(words);
    if (!result.matched) return c.bold(c.red(words));
    return result.outcome === "pass" ? c.green(words) : c.yellow(words);
  }

  return {
    journeyLine(result: JourneyResult): string {
      const failure = result.failure ? c.dim(` — ${result.failure}`) : "";
      // Named in full: journeys of two lanes finish in between each other.
      const figures = figuresOf(result).map((line) => `\n      ${c.dim(line)}`);
      return `  ${result.journey.padEnd(17)} ${result.app.padEnd(9)} ${paintVerdict(result)} ${c.dim(`${(result.durationMs / 1000).toFixed(1)} s`)}${failure}${figures.join("")}`;
    },

    traceLine(app: AppName, step: Step): string {
      const status =
        step.status < 400 ? c.green(String(step.status)) : c.red(`${step.status}${step.code ? ` ${step.code}` : ""}`);
      const times = storeTimes(step);
      return (
        c.dim(`    [${app}] `) +
        `${step.shopper} → balancer → ${step.instance}: ${step.request} ${status} ${c.dim(formatMs(step.ms))}` +
        (times && c.dim(times))
      );
    },

    faultLine(app: AppName, fault: string): string {
      return c.dim(`    [${app}] `) + c.bold(c.magenta(`⚡ ${fault}`));
    },

    table(report: ComparisonReport, width: number): string {
      const apps = Object.keys(report.latency) as AppName[];
      const column = Math.max(30, Math.floor((width - 22) / Math.max(1, apps.length)));
      const table = new Table({
        head: ["journey", ...apps].map((title) => c.bold(title)),
        colWidths: [20, ...apps.map(() => column)],
        wordWrap: true,
        style: { head: [], border: [] },
      });
      const journeys = [...new Set(report.results.map((result) => result.journey))];
      for (const journey of journeys) {
        table.push([
          journey,
          ...apps.map((app) => {
            const result = report.results.find((r) => r.journey === journey && r.app === app);
            if (!result) return "";
            return result.failure && result.outcome !== "skipped"
              ? `${paintVerdict(result)}\n${c.dim(result.failure)}`
              : paintVerdict(result);
          }),
        ]);
      }
      table.push([
        c.bold("latency p50/p95"),
        ...apps.map((app) => {
          const latency = report.latency[app]!;
          return `${formatMs(latency.p50Ms)} / ${formatMs(latency.p95Ms)} (${latency.requests} requests)`;
        }),
      ]);
      const mismatches = mismatchCount(report);
      const summary =
        mismatches === 0
          ? c.green(`Every outcome matched its expectation.`)
          : c.red(`${mismatches} outcome(s) did not match their expectation.`);
      const skips = skipReasons(report).map((reason) => `${c.dim(reason)}\n`);
      return (
        `${table.toString()}\n${skips.join("")}${besideLoopbackTable(report)}` +
        `${summary} ${c.dim(describeSetup(report))}\n${c.dim(describeTiming(report))}`
      );
    },
  };

  /** With --store-rtt: each journey's times at loopback and at the distance, a verdict shown where it did not match. */
  function besideLoopbackTable(report: ComparisonReport): string {
    const beside = besideLoopback(report);
    if (!beside) return "";
    const table = new Table({
      head: ["journey", "app", "loopback", `${report.storeDistance!.askedMs} ms away`].map((title) => c.bold(title)),
      style: { head: [], border: [] },
    });
    for (const { journey, app, loopback, away } of beside.rows) {
      const shown = (pass: PassTimes) =>
        pass.matched ? describeTimes(pass) : `${describeTimes(pass)}\n${c.bold(c.red(pass.words))}`;
      table.push([journey, app, shown(loopback), shown(away)]);
    }
    return `${c.dim(beside.title)}\n${table.toString()}\n`;
  }
}
