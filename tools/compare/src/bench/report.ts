// bench.md and the terminal table: one row per target, medians with [min–max].
import type { BenchReport, Spread, TargetSummary } from "./summary";

const HEADERS = ["target", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "app CPU (cores)", "requests per instance"];

export function benchRows(report: BenchReport): string[][] {
  return report.targets.map((target) => [
    `${target.app} ${target.via === "balancer" ? `via ${report.settings.lb} balancer` : "direct to one instance"}`,
    show(target.requestsPerSecond),
    show(target.p50Ms),
    show(target.p95Ms),
    show(target.p99Ms),
    String(target.errors),
    show(target.appCpuCores),
    perInstance(target),
  ]);
}

export function headlines(report: BenchReport): string[] {
  const { ratios } = report;
  return [
    `stateless / stateful throughput (through the balancers): ${ratios.statelessToStatefulThroughput}`,
    `stateless / stateful p99: ${ratios.statelessToStatefulP99}`,
    `balancer overhead at p50 (one request at a time, via balancer minus direct): stateful ` +
      `${ratios.balancerOverheadP50Ms.stateful} ms, stateless ${ratios.balancerOverheadP50Ms.stateless} ms`,
    `busiest / idlest instance: stateful ${ratios.maxMinRequestsPerInstance.stateful}, stateless ` +
      `${ratios.maxMinRequestsPerInstance.stateless}`,
  ];
}

export function benchMarkdown(report: BenchReport): string {
  const s = report.settings;
  return [
    "# pnpm bench",
    "",
    `${s.instances} instances per app, ${s.lb} balancer, ${s.users} users, ${s.connections} connections, ` +
      `${s.repetitions} × ${s.seconds} s per target (interleaved, after ${s.warmUpSeconds} s of warm-up), Node ` +
      `${s.node}, ${s.cores} cores. Medians, [min–max] over the repetitions.`,
    "",
    `| ${HEADERS.join(" | ")} |`,
    `| ${HEADERS.map(() => "---").join(" | ")} |`,
    ...benchRows(report).map((row) => `| ${row.join(" | ")} |`),
    "",
    ...headlines(report).map((line) => `- ${line}`),
    "",
  ].join("\n");
}

export { HEADERS as BENCH_HEADERS };

const show = ({ median, min, max }: Spread) => (min === max ? `${median}` : `${median} [${min}–${max}]`);

function perInstance(target: TargetSummary): string {
  return Object.entries(target.servedBy)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, n]) => `${id} ${n}`)
    .join(", ");
}
