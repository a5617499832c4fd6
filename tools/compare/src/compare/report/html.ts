// reports/compare.html (`pnpm compare --html`): the verdict table, each journey's sequence
// diagram and the latency of each app as a small chart, in one self-contained file to open or
// attach anywhere: Mermaid is bundled in it, with no CDN and no web font, so it draws offline.
import { readFile } from "node:fs/promises";
import type { JourneyResult } from "../../journeys/result";
import type { AppName } from "../../vocabulary";
import type { ComparisonReport } from "../comparison-report";
import { formatMs } from "../../util";
import { latencyChart } from "./latency-chart";
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

/** Mermaid's browser build: one script with no imports, which fetches nothing. */
const MERMAID_PATH = require.resolve("mermaid/dist/mermaid.min.js");

export async function htmlReport(report: ComparisonReport): Promise<string> {
  const mermaid = await readFile(MERMAID_PATH, "utf8");
  const apps = Object.keys(report.latency) as AppName[];
  const drawn = diagramsOf(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stateful vs stateless: comparison</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Stateful vs stateless: comparison</h1>
<p>${escape(describeSetup(report))}.</p>
<p>${escape(describeTiming(report))}</p>
${verdictTable(report, apps, drawn)}
<p class="${report.matched ? "matched" : "mismatched"}">${
    report.matched ? "Every outcome matched its expectation." : "Some outcomes did not match their expectation."
  }</p>
${skipReasons(report)
  .map((reason) => `<p>${escape(reason)}.</p>`)
  .join("\n")}
${besideLoopbackTable(report)}
<h2>Latency of every request, per app</h2>
<div class="charts">${apps.map((app) => latencyChart(app, report)).join("\n")}</div>
${figuresSection(report)}
<h2>What happened, request by request</h2>
<p>Each diagram is drawn from the run's own steps: who asked, which server answered, the stores it used (its
<code>Server-Timing</code> header), the faults, and the answer that failed the journey (crossed out).</p>
${drawn.map((result) => diagramSection(result)).join("\n")}
<script>${inlineScript(mermaid)}</script>
<script>
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", sequence: { mirrorActors: false } });
mermaid
  .run({ querySelector: "pre.mermaid" })
  .catch((error) => console.error(error))
  .finally(() => (document.body.dataset.diagrams = "drawn"));
</script>
</body>
</html>
`;
}

/** With --store-rtt: each journey's times at loopback and at the distance. */
function besideLoopbackTable(report: ComparisonReport): string {
  const beside = besideLoopback(report);
  if (!beside) return "";
  const cell = (pass: PassTimes) =>
    pass.matched
      ? `<td>${escape(describeTimes(pass))}</td>`
      : `<td class="mismatch">${escape(describeTimes(pass))}<br><small>${escape(pass.words)}</small></td>`;
  const rows = beside.rows.map(
    ({ journey, app, loopback, away }) => `<tr><th>${journey}</th><td>${app}</td>${cell(loopback)}${cell(away)}</tr>`,
  );
  return `<h2>The stores a network away</h2>
<p>${escape(beside.title)}.</p>
<table>
<thead><tr><th>journey</th><th>app</th><th>loopback</th><th>${report.storeDistance!.askedMs} ms away</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`;
}

function verdictTable(report: ComparisonReport, apps: readonly AppName[], drawn: readonly JourneyResult[]): string {
  const journeys = [...new Set(report.results.map((result) => result.journey))];
  const rows = journeys.map((journey) => {
    const cells = apps.map((app) => {
      const result = report.results.find((r) => r.journey === journey && r.app === app);
      if (!result) return "<td></td>";
      const words = escape(verdictWords(result));
      const verdict = drawn.includes(result) ? `<a href="#${anchor(result)}">${words}</a>` : words;
      const failure =
        result.failure && result.outcome !== "skipped" ? `<br><small>${escape(result.failure)}</small>` : "";
      return `<td class="${result.outcome}${result.matched ? "" : " mismatch"}">${verdict}${failure}</td>`;
    });
    return `<tr><th>${journey}</th>${cells.join("")}</tr>`;
  });
  const latency = apps.map(
    (app) => `<td>${formatMs(report.latency[app]!.p50Ms)} / ${formatMs(report.latency[app]!.p95Ms)}</td>`,
  );
  return `<table>
<thead><tr><th>journey</th>${apps.map((app) => `<th>${app}</th>`).join("")}</tr></thead>
<tbody>
${rows.join("\n")}
<tr><th>latency p50 / p95</th>${latency.join("")}</tr>
</tbody>
</table>`;
}

function figuresSection(report: ComparisonReport): string {
  const withFigures = report.results.filter((result) => figuresOf(result).length > 0);
  if (withFigures.length === 0) return "";
  return withFigures
    .map(
      (result) =>
        `<h3>${result.journey}, ${result.app}</h3>\n<ul>${figuresOf(result)
          .map((line) => `<li>${escape(line)}</li>`)
          .join("")}</ul>`,
    )
    .join("\n");
}

function diagramSection(result: JourneyResult): string {
  return `<section id="${anchor(result)}" class="diagram">
<h3>${result.journey}, ${result.app}: ${escape(verdictWords(result))}</h3>
<pre class="mermaid">${escape(sequenceDiagram(result))}</pre>
</section>`;
}

const anchor = (result: JourneyResult) => `${result.journey}-${result.app}`;

function escape(text: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
  return text.replace(/[&<>"]/g, (char) => entities[char]!);
}

/**
 * A script's text as the HTML parser must see it: "</script" would end the element, and "<!--"
 * (in Mermaid's build, inside strings and a regular expression) would change how the parser reads
 * the rest; in those places `\x3C` is the same "<" to JavaScript.
 */
function inlineScript(source: string): string {
  return source.replace(/<\/script/gi, "\\x3C/script").replace(/<!--/g, "\\x3C!--");
}

const STYLE = `
body { font: 16px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1b1f24; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
td.pass { background: #e6f4ea; }
td.fail { background: #fdecea; }
td.skipped { color: #57606a; }
td.mismatch { outline: 3px solid #cf222e; }
td small { color: #57606a; }
p.mismatched { color: #cf222e; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; }
.diagram { border-top: 1px solid #d0d7de; margin-top: 1.5rem; overflow-x: auto; }
a { color: inherit; }
`;
