// The chart of `pnpm bench --store-rtt`, as an SVG of its own: each route's p50, one request at a
// time, against the stores' round trip: a solid line with its points for the stateless app, and a
// dashed one in the same colour for the stateful app, which distance does not reach. A steep line is
// a route that makes many round trips one after the other. The latency axis is logarithmic, so that
// a login's tens of milliseconds and a cart read's one fit, and a doubling is the same height anywhere.
import type { DistanceReport } from "./distance-bench";
import { PROBED_ROUTES } from "./route-probe";

const WIDTH = 760;
const HEIGHT = 440;
const PLOT = { left: 60, right: 560, top: 40, bottom: 390 };
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

export function distanceChart({ stateful, stateless }: DistanceReport): string {
  const distances = stateless.map((at) => at.askedMs);
  const maxX = Math.max(...distances) || 1;
  const p50s = [...stateless.flatMap((at) => at.routes), ...stateful.routes].flatMap((figures) =>
    figures.p50Ms ? [figures.p50Ms] : [],
  );
  const [minY, maxY] = [niceStep(Math.min(...p50s, 1), "down"), niceStep(Math.max(...p50s, 1), "up")];
  const x = (ms: number) => PLOT.left + (ms / maxX) * (PLOT.right - PLOT.left);
  const y = (ms: number) => PLOT.bottom - (Math.log(ms / minY) / Math.log(maxY / minY)) * (PLOT.bottom - PLOT.top);
  const fixed = (n: number) => n.toFixed(1);

  const parts: string[] = [];
  for (const tick of ticks(minY, maxY)) {
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="#eee"/>`,
      `<text x="${PLOT.left - 8}" y="${fixed(y(tick) + 4)}" text-anchor="end">${tick}</text>`,
    );
  }
  for (const ms of distances)
    parts.push(`<text x="${fixed(x(ms))}" y="${PLOT.bottom + 18}" text-anchor="middle">${ms}</text>`);
  parts.push(
    `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<line x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">the stores' round trip (ms)</text>`,
    `<text transform="translate(16 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">p50, one request at a time (ms, log scale)</text>`,
    `<text x="${PLOT.left}" y="22" font-weight="bold">Each route's p50 against the stores' distance: stateless solid, stateful dashed</text>`,
  );
  PROBED_ROUTES.forEach((route, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = stateless.flatMap((at) => {
      const p50 = at.routes.find((figures) => figures.route === route)?.p50Ms;
      return p50 === undefined || p50 === null ? [] : [[x(at.askedMs), y(p50)] as const];
    });
    const line = points.map(([px, py]) => `${fixed(px)},${fixed(py)}`).join(" ");
    if (points.length > 1) parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${line}"/>`);
    for (const [px, py] of points) parts.push(`<circle cx="${fixed(px)}" cy="${fixed(py)}" r="3" fill="${colour}"/>`);
    const flat = stateful.routes.find((figures) => figures.route === route)?.p50Ms;
    if (flat !== undefined && flat !== null)
      parts.push(
        `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${fixed(y(flat))}" y2="${fixed(y(flat))}" stroke="${colour}" ` +
          `stroke-dasharray="5 4"/>`,
      );
    const legendY = PLOT.top + 10 + i * 20;
    parts.push(
      `<line x1="${PLOT.right + 20}" x2="${PLOT.right + 44}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${PLOT.right + 50}" y="${legendY + 4}">${route}</text>`,
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="p50 of each route against the stores' round trip">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

/** The nearest of 1, 2 or 5 times a power of ten at or above `value` (up), or at or below it (down). */
function niceStep(value: number, way: "up" | "down"): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 5, 10].map((step) => Number((step * power).toPrecision(3)));
  return way === "up" ? steps.find((nice) => nice >= value)! : steps.findLast((nice) => nice <= value)!;
}

/** 1, 2 and 5 times each power of ten from `min` to `max`. */
function ticks(min: number, max: number): number[] {
  const found: number[] = [];
  for (let power = Math.floor(Math.log10(min)); 10 ** power <= max; power++)
    for (const step of [1, 2, 5]) {
      const tick = Number((step * 10 ** power).toPrecision(3));
      if (tick >= min && tick <= max) found.push(tick);
    }
  return found;
}
