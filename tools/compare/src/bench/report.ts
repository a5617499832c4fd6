// bench.md and the terminal: one row per target (medians with [min–max]), the headline ratios,
// and with --profile where each app's CPU went, package by package, side by side.
import { ARCHITECTURES } from "../vocabulary";
import { BOUND_OF, type Bound } from "./settings";
import type { BenchReport, RatioSpread, Spread, TargetSummary } from "./summary";
import { markdownTable } from "./markdown-table";

const HEADERS = ["target", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "app CPU (cores)", "requests per instance"];
const PROFILE_ROWS = 12;

const BOUND_LABEL: Record<Bound, string> = {
  express: "minimal Express, state in memory (bound of stateful)",
  "express+redis": "minimal Express + the Redis round trips (bound of stateless)",
};

export function benchRows(report: BenchReport): string[][] {
  return report.targets.map((target) => [
    label(target, report.settings.lb),
    show(target.requestsPerSecond),
    show(target.p50Ms),
    show(target.p95Ms),
    show(target.p99Ms),
    String(target.errors),
    show(target.appCpuCores),
    perInstance(target),
  ]);
}

function label({ app, via }: TargetSummary, lb: string): string {
  if (app === "stateful" || app === "stateless")
    return `${app} ${via === "balancer" ? `via ${lb} balancer` : "direct to one instance"}`;
  return BOUND_LABEL[app];
}

export function headlines(report: BenchReport): string[] {
  const { ratios, headline } = report;
  return [
    `stateless / stateful throughput (through the balancers): ${interval(headline.statelessToStatefulThroughput)}`,
    `stateless / stateful p99: ${ratios.statelessToStatefulP99}`,
    `each app / its bound (direct): stateful ${interval(headline.statefulToBound)} of ${BOUND_OF.stateful}, ` +
      `stateless ${interval(headline.statelessToBound)} of ${BOUND_OF.stateless}`,
    `what Redis costs a minimal app (${BOUND_OF.stateless} / ${BOUND_OF.stateful}): ${ratios.boundWithRedisToBound}`,
    `balancer overhead at p50 (one request at a time, via balancer minus direct): stateful ` +
      `${ratios.balancerOverheadP50Ms.stateful} ms, stateless ${ratios.balancerOverheadP50Ms.stateless} ms`,
    `busiest / idlest instance: stateful ${ratios.maxMinRequestsPerInstance.stateful}, stateless ` +
      `${ratios.maxMinRequestsPerInstance.stateless}`,
    `a checkout, one at a time direct (p50, p99): stateful ${checkout(report, "stateful")}, stateless ` +
      `${checkout(report, "stateless")}; stateless / stateful p50: ${ratios.statelessToStatefulCheckoutP50}`,
    `where a checkout's time goes (its Server-Timing, p50 per store): stateful ${inStores(report, "stateful")}, ` +
      `stateless ${inStores(report, "stateless")}`,
    ...report.warnings.map((warning) => `warning: ${warning}`),
  ];
}

/** A headline ratio: its median over the repetitions, each taken within one, and its interval. */
const interval = ({ median, low, high, confidence, perRepetition }: RatioSpread) =>
  `${median} [${low}–${high}, ${Math.round(confidence * 100)}% confidence over ${perRepetition.length} repetitions]`;

export const PROFILE_HEADERS = ["CPU by package (% of busy time)", ...ARCHITECTURES];

/** The packages that used most CPU in either app, one row each, with each app's share. */
export function profileRows(report: BenchReport): string[][] {
  const { profiles } = report;
  if (!profiles) return [];
  const top = new Set(
    ARCHITECTURES.flatMap((app) => profiles[app].packages.slice(0, PROFILE_ROWS)).map((p) => p.package),
  );
  const share = (app: (typeof ARCHITECTURES)[number], name: string) =>
    profiles[app].packages.find((p) => p.package === name)?.percent ?? 0;
  const rows = [...top]
    .sort((a, b) => share("stateful", b) + share("stateless", b) - share("stateful", a) - share("stateless", a))
    .map((name) => [name, ...ARCHITECTURES.map((app) => `${share(app, name)}%`)]);
  const rest = ARCHITECTURES.map(
    (app) =>
      `${Math.round(profiles[app].packages.filter((p) => !top.has(p.package)).reduce((sum, p) => sum + p.percent, 0) * 10) / 10}%`,
  );
  return [
    ...rows,
    ["everything else", ...rest],
    ["busy (of the measured run)", ...ARCHITECTURES.map((app) => `${profiles[app].busyPercent}%`)],
    ["req/s while profiled", ...ARCHITECTURES.map((app) => String(profiles[app].requestsPerSecond))],
  ];
}

export function benchMarkdown(report: BenchReport): string {
  const s = report.settings;
  const profiles = report.profiles;
  return [
    "# pnpm bench",
    "",
    `${s.instances} instances per app, ${s.lb} balancer, ${s.users} users, ${s.connections} connections, ` +
      `${s.repetitions} × ${s.seconds} s per target (interleaved, after ${s.warmUpSeconds} s of warm-up), Node ` +
      `${s.node}, ${s.cores} cores, ${s.corePlan ? `the load generator on CPU ${s.corePlan.load} and the rest on ${s.corePlan.rest.join(", ")}` : "every process on every CPU"}. ` +
      "Medians, [min–max] over the repetitions; a headline ratio is taken within each repetition, then its median.",
    "",
    ...markdownTable(HEADERS, benchRows(report)),
    "",
    ...headlines(report).map((line) => `- ${line}`),
    "",
    ...(profiles
      ? [
          "## Where the CPU goes",
          "",
          `One instance of each app under the same mix, direct, ${s.seconds} s, profiled with \`node --cpu-prof\`: ` +
            "each sample's time charged to the package of the function it caught running.",
          "",
          ...markdownTable(PROFILE_HEADERS, profileRows(report)),
          "",
          ...ARCHITECTURES.map((app) => `- ${app}: \`${profiles[app].file}\``),
          "",
        ]
      : []),
  ].join("\n");
}

export { HEADERS as BENCH_HEADERS };

const checkout = ({ checkouts }: BenchReport, app: (typeof ARCHITECTURES)[number]) =>
  `${checkouts[app].p50Ms} ms, ${checkouts[app].p99Ms} ms${checkouts[app].failed ? ` (${checkouts[app].failed} failed)` : ""}`;

const inStores = ({ checkouts }: BenchReport, app: (typeof ARCHITECTURES)[number]) =>
  Object.entries(checkouts[app].stores)
    .map(
      ([store, { p50Ms, operations }]) =>
        `${store} ${p50Ms} ms (${operations} operation${operations === 1 ? "" : "s"})`,
    )
    .join(" + ");

const show = ({ median, min, max }: Spread) => (min === max ? `${median}` : `${median} [${min}–${max}]`);

function perInstance(target: TargetSummary): string {
  return Object.entries(target.servedBy)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, n]) => `${id} ${n}`)
    .join(", ");
}
