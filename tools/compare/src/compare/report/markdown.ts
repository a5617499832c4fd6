// reports/compare.md: the same verdict as the terminal table, for a pull request or a slide.
import { formatMs } from "../../util";
import type { AppName } from "../../vocabulary";
import type { ComparisonReport } from "../comparison-report";
import { sequenceDiagram } from "./sequence-diagram";
import {
  besideLoopback,
  describeSetup,
  describeTimes,
  describeTiming,
  diagramsOf,
  figuresOf,
  skipReasons,
  verdictWords,
  type PassTimes,
} from "./verdict";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdownReport(report: ComparisonReport): string {
  const apps = Object.keys(report.latency) as AppName[];
  const journeys = [...new Set(report.results.map((result) => result.journey))];
  const lines = [
    "# Stateful vs stateless: comparison",
    "",
    `${describeSetup(report)}.`,
    "",
    describeTiming(report),
    "",
    `| journey | ${apps.join(" | ")} |`,
    `| --- | ${apps.map(() => "---").join(" | ")} |`,
  ];
  for (const journey of journeys) {
    const cells = apps.map((app) => {
      const result = report.results.find((r) => r.journey === journey && r.app === app);
      if (!result) return "";
      const failure = result.failure && result.outcome !== "skipped" ? `<br>${cell(result.failure)}` : "";
      return `**${verdictWords(result)}**${failure}`;
    });
    lines.push(`| ${journey} | ${cells.join(" | ")} |`);
  }
  lines.push(
    `| latency p50 / p95 | ${apps.map((app) => `${formatMs(report.latency[app]!.p50Ms)} / ${formatMs(report.latency[app]!.p95Ms)}`).join(" | ")} |`,
    "",
    ...skipReasons(report).map((reason) => `${reason}.\n`),
    ...besideLoopbackSection(report),
    ...report.results.flatMap((result) => {
      const figures = figuresOf(result);
      return figures.length === 0
        ? []
        : [`**${result.journey}, ${result.app}**:`, "", ...figures.map((line) => `- ${line}`), ""];
    }),
    report.matched ? "Every outcome matched its expectation." : "**Some outcomes did not match their expectation.**",
    "",
    ...diagramSection(report),
  );
  return lines.join("\n");
}

/** With --store-rtt: each journey's times at loopback and at the distance. */
function besideLoopbackSection(report: ComparisonReport): string[] {
  const beside = besideLoopback(report);
  if (!beside) return [];
  const shown = (pass: PassTimes) =>
    pass.matched ? describeTimes(pass) : `${describeTimes(pass)}<br>**${pass.words}**`;
  return [
    `${beside.title}:`,
    "",
    `| journey | app | loopback | ${report.storeDistance!.askedMs} ms away |`,
    "| --- | --- | --- | --- |",
    ...beside.rows.map(
      ({ journey, app, loopback, away }) => `| ${journey} | ${app} | ${shown(loopback)} | ${shown(away)} |`,
    ),
    "",
  ];
}

/** Each journey on each app as a sequence diagram, folded away until opened (GitHub draws them). */
function diagramSection(report: ComparisonReport): string[] {
  const drawn = diagramsOf(report);
  if (drawn.length === 0) return [];
  return [
    "## What happened, request by request",
    "",
    "Each diagram is drawn from the run's own steps: who asked, which server answered, the stores it used " +
      "(its `Server-Timing` header), the faults, and the answer that failed the journey (crossed out).",
    "",
    ...drawn.flatMap((result) => [
      `<details><summary><b>${result.journey}</b>, ${result.app}: ${verdictWords(result)}</summary>`,
      "",
      "```mermaid",
      sequenceDiagram(result).trimEnd(),
      "```",
      "",
      "</details>",
      "",
    ]),
  ];
}
