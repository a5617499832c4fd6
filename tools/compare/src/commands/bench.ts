#!/usr/bin/env node
// `pnpm bench`: what statelessness and stickiness cost, measured side by side in one run.
import Table from "cli-table3";
import { Command, InvalidArgumentError, Option } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { bench } from "../bench/bench";
import { chatBench } from "../bench/chat-bench";
import { CHAT_HEADERS, chatHeadlines, chatMarkdown, chatRows } from "../bench/chat-report";
import { kitchenBench } from "../bench/kitchen-bench";
import {
  COOKING_HEADERS,
  cookingRows,
  JOB_HEADERS,
  jobRows,
  kitchenHeadlines,
  kitchenMarkdown,
} from "../bench/kitchen-report";
import { DEFAULT_DISTANCES, distanceBench } from "../bench/distance-bench";
import { distanceChart } from "../bench/distance-chart";
import {
  distanceHeaders,
  distanceHeadlines,
  distanceHtml,
  distanceMarkdown,
  distanceRows,
} from "../bench/distance-report";
import { BENCH_HEADERS, benchMarkdown, benchRows, headlines, PROFILE_HEADERS, profileRows } from "../bench/report";
import { startupBench } from "../bench/startup-bench";
import { STARTUP_HEADERS, startupHeadlines, startupMarkdown, startupRows } from "../bench/startup-report";
import { BALANCER_KINDS, type BalancerKind } from "../vocabulary";
import { wholeNumber } from "./options";
import { EXIT, runCommand } from "./runner";

interface BenchOptions {
  duration: number;
  warmup: number;
  repetitions: number;
  connections: number;
  users: number;
  instances: number;
  lb: BalancerKind;
  loadApart: boolean;
  reportDir: string;
  profile: boolean;
  chat: boolean;
  rate: number;
  kitchen: boolean;
  kitchenMs: number[];
  workers: number;
  startup: boolean;
  starts: number;
  storeRtt?: number[];
  probes: number;
}

/** --kitchen-ms: whole numbers of milliseconds, comma-separated, each measured once. */
function cookingTimes(value: string): number[] {
  const parse = wholeNumber(10, 60_000, " of milliseconds");
  return [...new Set(value.split(",").map((part) => parse(part.trim())))];
}

/** --store-rtt: round trips in milliseconds (fractions allowed), comma-separated, in the order given. */
function distances(value: string): number[] {
  const parsed = value.split(",").map((part) => {
    const ms = Number(part.trim());
    if (part.trim() === "" || !Number.isFinite(ms) || ms < 0 || ms > 100)
      throw new InvalidArgumentError(`"${part.trim()}" is not a round trip of 0 to 100 ms`);
    return ms;
  });
  return [...new Set(parsed)];
}

/** --store-rtt's repetitions unless --repetitions says: each is a minute or so of the defaults. */
const DISTANCE_REPETITIONS = 3;

/** --chat's sockets per app unless --connections says: four per demo user. */
const CHAT_SOCKETS = 24;

const program = new Command()
  .name("pnpm bench")
  .description(
    "Drive both clusters (started as pnpm compare starts them) with the same request mix (80% GET /cart, 15% POST " +
      "/cart/items, 5% GET /me) through their balancers and straight to one instance, and each app's bound " +
      "(minimal Express 5 serving the same mix, with the same state: in memory, or with the Redis round trips), " +
      "and compare.",
  )
  .option("--duration <s>", "seconds per measured run", wholeNumber(1, 600), 3)
  .option("--warmup <s>", "seconds of warm-up per target, not counted", wholeNumber(1, 60), 2)
  .option("--repetitions <n>", "measured runs per target, interleaved", wholeNumber(1, 20), 9)
  .option("--connections <n>", "concurrent connections of the load generator", wholeNumber(1, 1000), 50)
  .option("--users <n>", "logged-in users per app, each with its own session", wholeNumber(1, 5000), 200)
  .option("--instances <n>", "instances per app (2-8)", wholeNumber(2, 8), 3)
  .addOption(new Option("--lb <kind>", "load balancer").choices(BALANCER_KINDS).default("builtin"))
  .option(
    "--load-apart",
    "run the load generator on a CPU of its own, and the servers, balancer and stores on the others (taskset; " +
      "on 2 cores this made the runs noisier, not steadier: docs/costs.md)",
    false,
  )
  .option("--report-dir <dir>", "where bench.json and bench.md are written", "reports")
  .option(
    "--profile",
    "then profile one instance of each app under the mix (node --cpu-prof): CPU by package in the report, " +
      "the .cpuprofile files in <report-dir>/profiles",
    false,
  )
  .option(
    "--chat",
    "measure the chat instead: sockets through each balancer (--connections, default 24), each writing --rate " +
      "messages a second to the next user; delivery latency, copies delivered, CPU, sockets and memory per instance",
    false,
  )
  .option("--rate <n>", "with --chat: messages each socket writes a second (the chat allows 10)", wholeNumber(1, 10), 5)
  .addOption(
    new Option(
      "--kitchen",
      "measure the kitchen instead, on one instance of each app: orders cooked a second per worker at each " +
        "--kitchen-ms (a backlog, then --duration seconds), and what writing the kitchen's job costs a checkout",
    )
      .default(false)
      .conflicts("chat"),
  )
  .option(
    "--kitchen-ms <list>",
    "with --kitchen: the cooking times of a pizza to measure at, comma-separated (10-60000 ms)",
    cookingTimes,
    [500, 50],
  )
  .option("--workers <n>", "with --kitchen: kitchen workers per instance (KITCHEN_WORKERS)", wholeNumber(1, 32), 2)
  .addOption(
    new Option(
      "--startup",
      "measure start-up instead: each app spawned --starts times, spawn to its first 200 from /readyz and the CPU " +
        "burnt by then, beside a bare Node http server (the floor); the stateless app on a migrated database and " +
        "on a new one",
    )
      .default(false)
      .conflicts(["chat", "kitchen", "profile"]),
  )
  .option("--starts <n>", "with --startup: measured starts of each target", wholeNumber(1, 100), 5)
  .addOption(
    new Option(
      "--store-rtt [list]",
      "measure distance instead: the stateless app's stores put each round trip away in turn (ms, comma-separated), " +
        "the mix through its balancer and each route one request at a time at each, beside the stateful app; " +
        `${DISTANCE_REPETITIONS} repetitions unless --repetitions says; a table and a chart (bench-distance.svg, .html)`,
    )
      .preset(DEFAULT_DISTANCES.join(","))
      .argParser(distances)
      .conflicts(["chat", "kitchen", "startup", "profile"]),
  )
  .option(
    "--probes <n>",
    "with --store-rtt: requests of each route, one at a time, per distance and repetition",
    wholeNumber(1, 1000),
    30,
  )
  .addHelpText(
    "after",
    [
      "",
      "Examples:",
      "  pnpm bench                                   defaults: about four minutes on 2 cores",
      "  pnpm bench --profile                         and where each app's CPU goes, by package",
      "  pnpm bench --duration 10 --repetitions 15    longer runs, steadier numbers",
      "  pnpm bench --lb haproxy                      through real haproxy processes",
      "  pnpm bench --chat                            the chat: 24 sockets per app, 5 messages/s each",
      "  pnpm bench --kitchen                         the kitchen: orders per worker, and the job's cost to a checkout",
      "  pnpm bench --startup                         how soon a new server is ready, beside a bare Node server",
      "  pnpm bench --store-rtt                       the stores 0 to 2 ms away: what each route pays (3-4 minutes)",
      "  pnpm bench --store-rtt 0,1                   at loopback and 1 ms only",
      "",
      "Exit code: 0, 2 on a set-up error, 130 on Ctrl-C. Progress goes to stderr, the table to stdout.",
    ].join("\n"),
  );

runCommand<BenchOptions>({
  program,
  progressTo: () => process.stderr,
  async run(options, { say }) {
    if (options.chat) return benchChat(options, say);
    if (options.kitchen) return benchKitchen(options, say);
    if (options.startup) return benchStartup(options, say);
    if (options.storeRtt) return benchDistance(options, options.storeRtt, say);
    const report = await bench({
      seconds: options.duration,
      warmUpSeconds: options.warmup,
      repetitions: options.repetitions,
      connections: options.connections,
      users: options.users,
      instances: options.instances,
      lb: options.lb,
      loadApart: options.loadApart,
      ...(options.profile && { profileDir: resolve(options.reportDir, "profiles") }),
      onProgress: (line) => say(`  ${line}`),
    });
    printTable(BENCH_HEADERS, benchRows(report));
    for (const line of headlines(report)) console.log(line);
    if (report.profiles) printTable(PROFILE_HEADERS, profileRows(report), { wordWrap: false });
    return writeReports(options.reportDir, "bench", report, benchMarkdown(report));
  },
});

/** `--chat`: both apps' chats under the same load, one after the other. */
async function benchChat(options: BenchOptions, say: (line: string) => void): Promise<number> {
  const connections = program.getOptionValueSource("connections") === "default" ? CHAT_SOCKETS : options.connections;
  const report = await chatBench({
    seconds: options.duration,
    warmUpSeconds: options.warmup,
    connections,
    rate: options.rate,
    instances: options.instances,
    lb: options.lb,
    onProgress: (line) => say(`  ${line}`),
  });
  printTable(CHAT_HEADERS, chatRows(report));
  for (const line of chatHeadlines(report)) console.log(line);
  return writeReports(options.reportDir, "bench-chat", report, chatMarkdown(report));
}

/** `--kitchen`: both apps' kitchens, one instance each, one after the other. */
async function benchKitchen(options: BenchOptions, say: (line: string) => void): Promise<number> {
  const report = await kitchenBench({
    seconds: options.duration,
    warmUpSeconds: options.warmup,
    kitchenMs: options.kitchenMs,
    workers: options.workers,
    onProgress: (line) => say(`  ${line}`),
  });
  printTable(COOKING_HEADERS, cookingRows(report));
  printTable(JOB_HEADERS, jobRows(report));
  for (const line of kitchenHeadlines(report)) console.log(line);
  return writeReports(options.reportDir, "bench-kitchen", report, kitchenMarkdown(report));
}

/** `--startup`: each app's start, a bare Node server's beside it, the targets in turns. */
async function benchStartup(options: BenchOptions, say: (line: string) => void): Promise<number> {
  const report = await startupBench({ starts: options.starts, onProgress: (line) => say(`  ${line}`) });
  printTable(STARTUP_HEADERS, startupRows(report));
  for (const line of startupHeadlines(report)) console.log(line);
  return writeReports(options.reportDir, "bench-startup", report, startupMarkdown(report));
}

/** `--store-rtt`: the stateless app's stores at each distance in turn, the stateful app beside it. */
async function benchDistance(options: BenchOptions, distances: number[], say: (line: string) => void): Promise<number> {
  const repetitions =
    program.getOptionValueSource("repetitions") === "default" ? DISTANCE_REPETITIONS : options.repetitions;
  const report = await distanceBench({
    distances,
    seconds: options.duration,
    warmUpSeconds: options.warmup,
    repetitions,
    probes: options.probes,
    connections: options.connections,
    users: options.users,
    instances: options.instances,
    lb: options.lb,
    onProgress: (line) => say(`  ${line}`),
  });
  printTable(distanceHeaders(report), distanceRows(report));
  for (const line of distanceHeadlines(report)) console.log(line);
  const chart = "bench-distance.svg";
  return writeReports(options.reportDir, "bench-distance", report, distanceMarkdown(report, chart), {
    [chart]: distanceChart(report),
    "bench-distance.html": distanceHtml(report),
  });
}

/** A table to the terminal, without colours or borders' styling. */
function printTable(head: readonly string[], rows: string[][], { wordWrap = true } = {}): void {
  const table = new Table({ head: [...head], style: { head: [], border: [] }, wordWrap });
  table.push(...rows);
  console.log(table.toString());
}

/** `<name>.json` and `<name>.md` in `dir`, and any other files named, and a line naming them. */
async function writeReports(
  dir: string,
  name: string,
  report: unknown,
  markdown: string,
  others: Record<string, string> = {},
): Promise<number> {
  const files: [string, string][] = [
    [join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`],
    [join(dir, `${name}.md`), markdown],
    ...Object.entries(others).map(([file, text]): [string, string] => [join(dir, file), text]),
  ];
  await mkdir(dir, { recursive: true });
  for (const [file, text] of files) await writeFile(file, text);
  console.log(`Reports: ${files.map(([file]) => file).join(", ")}`);
  return EXIT.ok;
}
