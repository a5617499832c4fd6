// bench-distance.md, .html and the terminal: a row per route, the stateful app (no store to reach)
// beside the stateless one at each distance, each cell a p50 (p99) of one request at a time; the
// round trips each stateless route made, and where its p50 doubles.
import type { AtDistance, DistanceReport } from "./distance-bench";
import { distanceChart } from "./distance-chart";
import { markdownTable } from "./markdown-table";
import { PROBED_ROUTES, type ProbedRoute, type RouteFigures } from "./route-probe";

export function distanceHeaders({ stateless }: DistanceReport): string[] {
  return [
    "one request at a time: p50 (p99) ms",
    "stateful (no store)",
    ...stateless.map(({ askedMs }) => `stateless, stores ${askedMs} ms away`),
    "stateless round trips",
    "stateless p50 doubles at",
  ];
}

export function distanceRows(report: DistanceReport): string[][] {
  const { stateful, stateless, doublesAtMs } = report;
  const mix = (figures: { mix: DistanceReport["stateful"]["mix"] }) =>
    `${figures.mix.requestsPerSecond.median} req/s (p99 ${figures.mix.p99Ms})`;
  return [
    ["the stores' distance, measured", "–", ...stateless.map((at) => `${at.addedMs} ms`), "", ""],
    ["the mix through the balancer", mix(stateful), ...stateless.map(mix), "", ""],
    ...PROBED_ROUTES.map((route) => [
      route,
      cell(figuresOf(stateful.routes, route)),
      ...stateless.map((at) => cell(figuresOf(at.routes, route))),
      roundTrips(figuresOf(stateless[0]!.routes, route)),
      doubling(doublesAtMs[route], stateless),
    ]),
  ];
}

export function distanceHeadlines(report: DistanceReport): string[] {
  const { stateful, stateless, doublesAtMs } = report;
  const [near, far] = [stateless[0]!, stateless.at(-1)!];
  const throughput = (at: AtDistance) => at.mix.requestsPerSecond.median;
  const lines = [
    `the stores' distance, asked → measured (Redis PING through the proxy minus straight, median): ` +
      stateless.map((at) => `${at.askedMs} → ${at.addedMs} ms`).join(", "),
    `the mix through the balancer, stateless: ${throughput(near)} req/s at ${near.askedMs} ms, ${throughput(far)} at ` +
      `${far.askedMs} ms (${ratio(throughput(far), throughput(near))}); stateful ${stateful.mix.requestsPerSecond.median} req/s`,
  ];
  const doubled = PROBED_ROUTES.filter((route) => route in doublesAtMs).map(
    (route) => `${route} ${doubling(doublesAtMs[route], stateless)}`,
  );
  lines.push(`each stateless route's p50 is twice its ${near.askedMs} ms figure at: ${doubled.join(", ")}`);
  return lines;
}

export function distanceMarkdown(report: DistanceReport, chartFile: string): string {
  return [
    "# pnpm bench --store-rtt",
    "",
    ...describe(report),
    "",
    ...markdownTable(distanceHeaders(report), distanceRows(report)),
    "",
    ...distanceHeadlines(report).map((line) => `- ${line}`),
    "",
    `![p50 of each route against the stores' round trip](${chartFile})`,
    "",
  ].join("\n");
}

/** The same report as one HTML page, the chart drawn in it. */
export function distanceHtml(report: DistanceReport): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const row = (tag: string, cells: readonly string[]) =>
    `<tr>${cells.map((text) => `<${tag}>${escape(text)}</${tag}>`).join("")}</tr>`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>pnpm bench --store-rtt</title>',
    "<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse}" +
      "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}</style></head><body>",
    "<h1>pnpm bench --store-rtt</h1>",
    ...describe(report).map((line) => `<p>${escape(line)}</p>`),
    distanceChart(report),
    `<table>${row("th", distanceHeaders(report))}${distanceRows(report)
      .map((cells) => row("td", cells))
      .join("")}</table>`,
    `<ul>${distanceHeadlines(report)
      .map((line) => `<li>${escape(line)}</li>`)
      .join("")}</ul>`,
    "</body></html>",
    "",
  ].join("\n");
}

function describe({ settings }: DistanceReport): string[] {
  return [
    `The stateless app's stores (Redis, PostgreSQL, the object store) behind a delay proxy moved to each round trip ` +
      `in turn (${settings.distances.join(", ")} ms; 0 ms is the proxy itself, the baseline); the stateful app, ` +
      `which reaches no store, measured as it is. ${settings.repetitions} repetitions, the distances in turns. At each: ` +
      `the request mix through the ${settings.lb} balancer (${settings.instances} instances, ${settings.connections} ` +
      `connections, ${settings.seconds} s), then each route ${settings.probes} times a repetition, one request at a ` +
      `time, straight to one instance (the chat: a message to a user whose socket is on another instance, timed ` +
      `until it arrives). Node ${settings.node}.`,
  ];
}

function figuresOf(routes: readonly RouteFigures[], route: ProbedRoute): RouteFigures | undefined {
  return routes.find((figures) => figures.route === route);
}

function cell(figures: RouteFigures | undefined): string {
  if (!figures || figures.p50Ms === null) return figures?.failed ? `never arrives (${figures.failed} tried)` : "–";
  const failed = figures.failed ? `, ${figures.failed} failed` : "";
  return `${figures.p50Ms} (${figures.p99Ms})${failed}`;
}

/** "redis 3 + postgres 1: 4 in a row", as the route's Server-Timing counted them. */
function roundTrips(figures: RouteFigures | undefined): string {
  if (!figures?.roundTrips) return "– (no Server-Timing)";
  const each = Object.entries(figures.roundTrips).map(([store, count]) => `${store} ${count}`);
  return `${each.join(" + ") || "none"}: ${figures.inSequence ?? "?"} in a row`;
}

function doubling(ms: number | null | undefined, stateless: readonly AtDistance[]): string {
  if (ms === undefined) return "–";
  const farthest = Math.max(...stateless.map((at) => at.askedMs));
  return ms === null ? `beyond ${farthest} ms` : `${ms} ms`;
}

function ratio(a: number, b: number): string {
  return b > 0 ? `× ${(a / b).toFixed(2)}` : "no baseline";
}
