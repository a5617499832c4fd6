// One app's request latencies in a comparison, as a small SVG histogram for compare.html: how
// many requests took up to 1 ms, 2 ms, 5 ms… (each bucket over twice the last, so that 0.3 ms and
// 3 s both show), with the p50 and p95 named.
import type { AppName } from "../../vocabulary";
import type { ComparisonReport } from "../comparison-report";
import { formatMs } from "../../util";

/** The buckets' upper bounds, in ms; a last bucket takes what is slower. */
const BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
const WIDTH = 520;
const HEIGHT = 180;
const TOP = 28;
const BOTTOM = 36;
const BAR_GAP = 4;

export function latencyChart(app: AppName, report: ComparisonReport): string {
  const ms = report.results.filter((result) => result.app === app).flatMap((result) => result.steps.map((s) => s.ms));
  const counts = Array.from({ length: BOUNDS_MS.length + 1 }, () => 0);
  for (const value of ms) {
    const bucket = BOUNDS_MS.findIndex((bound) => value <= bound);
    counts[bucket === -1 ? BOUNDS_MS.length : bucket]!++;
  }
  const most = Math.max(1, ...counts);
  const barWidth = WIDTH / counts.length;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const bars = counts.map((count, index) => {
    const height = (count / most) * plotHeight;
    const x = index * barWidth;
    const label = index < BOUNDS_MS.length ? `≤${BOUNDS_MS[index]}` : `>${BOUNDS_MS.at(-1)}`;
    return [
      `<rect x="${x + BAR_GAP / 2}" y="${TOP + plotHeight - height}" width="${barWidth - BAR_GAP}" height="${height}" fill="#0969da"><title>${label} ms: ${count} requests</title></rect>`,
      count > 0
        ? `<text x="${x + barWidth / 2}" y="${TOP + plotHeight - height - 3}" font-size="10" text-anchor="middle">${count}</text>`
        : "",
      `<text x="${x + barWidth / 2}" y="${HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle">${label}</text>`,
    ].join("");
  });
  const { p50Ms, p95Ms, requests } = report.latency[app]!;
  const title = `${app}: ${requests} requests, p50 ${formatMs(p50Ms)}, p95 ${formatMs(p95Ms)}`;
  return `<svg class="latency" data-app="${app}" role="img" aria-label="${title}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif">
<text x="0" y="16" font-size="13" font-weight="bold">${title}</text>
${bars.join("\n")}
<text x="${WIDTH / 2}" y="${HEIGHT - 4}" font-size="10" text-anchor="middle">milliseconds per request</text>
</svg>`;
}
