// bench-chat.md and the terminal: one row per app, the headline ratios.
import { ARCHITECTURES } from "../vocabulary";
import type { ChatBenchReport } from "./chat-bench";
import { markdownTable } from "./markdown-table";

export const CHAT_HEADERS = [
  "app",
  "messages/s",
  "copies delivered/s",
  "delivered",
  "across servers",
  "p50 ms",
  "p99 ms",
  "app CPU (cores)",
  "sockets per instance",
  "memory per instance (MB)",
  "error frames",
];

export function chatRows(report: ChatBenchReport): string[][] {
  return ARCHITECTURES.map((app) => {
    const result = report.apps[app];
    const errors = Object.entries(result.errors).map(([code, n]) => `${n}× ${code}`);
    return [
      app,
      String(result.sentPerSecond),
      String(result.deliveredPerSecond),
      `${result.deliveredPercent}%`,
      `${result.acrossServersPercent}%`,
      String(result.p50Ms),
      String(result.p99Ms),
      String(result.appCpuCores),
      listed(result.socketsPerServer),
      listed(result.rssMbPerInstance),
      errors.join(", ") || "0",
    ];
  });
}

export function chatHeadlines({ ratios, apps }: ChatBenchReport): string[] {
  return [
    `delivered: stateful ${apps.stateful.deliveredPercent}% of copies (only to sockets on the sender's server), ` +
      `stateless ${apps.stateless.deliveredPercent}% (${apps.stateless.acrossServersPercent}% of them across servers)`,
    `stateless / stateful delivery latency: p50 ${shown(ratios.statelessToStatefulP50)}, p99 ` +
      shown(ratios.statelessToStatefulP99),
    `stateless / stateful CPU per delivered copy: ${shown(ratios.statelessToStatefulCpuPerDelivery)}`,
  ];
}

export function chatMarkdown(report: ChatBenchReport): string {
  const { settings } = report;
  return [
    "# pnpm bench --chat",
    "",
    `${settings.connections} sockets per app (users ${settings.users.join(", ")} in turns), each writing ` +
      `${settings.rate} messages a second to the next user for ${settings.seconds} s, after a ` +
      `${settings.warmUpSeconds} s warm-up; ${settings.instances} instances behind the ${settings.lb} balancer; ` +
      `Node ${settings.node}.`,
    "",
    ...markdownTable(CHAT_HEADERS, chatRows(report)),
    "",
    ...chatHeadlines(report).map((line) => `- ${line}`),
    "",
  ].join("\n");
}

const listed = (values: Record<string, number>) =>
  Object.entries(values)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key} ${value}`)
    .join(", ");

/** A ratio, or why there is none: the stateful app delivered nothing to compare with. */
const shown = (ratio: number | null) => (ratio === null ? "n/a (the stateful app delivered nothing)" : String(ratio));
