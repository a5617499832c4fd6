// bench-kitchen.md and the terminal: the kitchen's pace per worker at each cooking time, what the
// job costs a checkout, and the ratios between the apps.
import { ARCHITECTURES } from "../vocabulary";
import type { KitchenBenchReport } from "./kitchen-bench";
import { markdownTable } from "./markdown-table";

export const COOKING_HEADERS = [
  "app",
  "a pizza takes",
  "orders ready",
  "per worker a second",
  "the ideal",
  "of the ideal",
];

export function cookingRows({ cooking, settings }: KitchenBenchReport): string[][] {
  return cooking.map((run) => [
    run.app,
    `${run.kitchenMs} ms`,
    `${run.cooked} in ${settings.seconds} s`,
    String(run.perWorkerPerSecond),
    String(run.idealPerWorkerPerSecond),
    // A backlog that ran out in the window leaves workers idle: what they cooked is a floor.
    `${Math.round(run.ofIdeal * 100)}%${run.leftWaiting === 0 ? " (backlog ran out: at least)" : ""}`,
  ]);
}

export const JOB_HEADERS = [
  "app",
  "checkout p50, p99: a Coke (no job)",
  "a Margherita (its job)",
  "the job's p50 cost",
];

export function jobRows({ checkouts }: KitchenBenchReport): string[][] {
  return ARCHITECTURES.map((app) => {
    const { withoutJob, withJob, extraP50Ms } = checkouts[app];
    return [
      app,
      `${withoutJob.p50Ms}, ${withoutJob.p99Ms} ms${stores(withoutJob.stores)}`,
      `${withJob.p50Ms}, ${withJob.p99Ms} ms${stores(withJob.stores)}`,
      `${extraP50Ms >= 0 ? "+" : ""}${extraP50Ms} ms`,
    ];
  });
}

export function kitchenHeadlines({ ratios }: KitchenBenchReport): string[] {
  const perWorker = ratios.statelessToStatefulPerWorker
    .map(({ kitchenMs, ratio }) => `${ratio} at ${kitchenMs} ms a pizza`)
    .join(", ");
  const checkout = ARCHITECTURES.map((app) => `${app} ${ratios.checkoutWithJobToWithout[app]}`).join(", ");
  return [
    `stateless / stateful orders cooked per worker: ${perWorker}`,
    `a checkout with its kitchen job / without (p50): ${checkout}`,
  ];
}

export function kitchenMarkdown(report: KitchenBenchReport): string {
  const { settings } = report;
  return [
    "# pnpm bench --kitchen",
    "",
    `One instance of each app on its own, ${settings.workers} kitchen workers. Per cooking time: a backlog of ` +
      `one-pizza orders, ${settings.warmUpSeconds} s to get going, then the orders ready in ${settings.seconds} s. ` +
      `Then ${settings.checkouts} checkouts of each kind, one at a time, in turns, on an instance that cooks ` +
      `nothing. Node ${settings.node}.`,
    "",
    ...markdownTable(COOKING_HEADERS, cookingRows(report)),
    "",
    ...markdownTable(JOB_HEADERS, jobRows(report)),
    "",
    ...kitchenHeadlines(report).map((line) => `- ${line}`),
    "",
  ].join("\n");
}

/** Where a checkout's time went, from its Server-Timing: "; postgres 1.2 ms". */
const stores = (used: KitchenBenchReport["checkouts"]["stateless"]["withJob"]["stores"]) =>
  Object.entries(used)
    .map(([store, { p50Ms }]) => `; ${store} ${p50Ms} ms`)
    .join("");
