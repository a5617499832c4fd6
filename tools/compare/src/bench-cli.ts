#!/usr/bin/env node
// `pnpm bench`: what statelessness and stickiness cost, measured side by side in one run.
import { ManagedProcess, MissingToolError } from "@cart/local-infra";
import Table from "cli-table3";
import { Command, Option } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BALANCER_KINDS, type BalancerKind } from "./balancer/load-balancer";
import { wholeNumber } from "./cli-args";
import { bench } from "./bench/bench";
import { BENCH_HEADERS, benchMarkdown, benchRows, headlines } from "./bench/report";

const program = new Command()
  .name("pnpm bench")
  .description(
    "Drive both clusters (started as pnpm compare starts them) with the same request mix (80% GET /cart, 15% POST /cart/items, 5% GET /me) through their balancers and straight to one instance, and compare.",
  )
  .option("--duration <s>", "seconds per measured run", wholeNumber(1, 600), 4)
  .option("--warmup <s>", "seconds of warm-up per target, not counted", wholeNumber(1, 60), 2)
  .option("--repetitions <n>", "measured runs per target, interleaved", wholeNumber(1, 20), 3)
  .option("--connections <n>", "concurrent connections of the load generator", wholeNumber(1, 1000), 50)
  .option("--users <n>", "logged-in users per app, each with its own session", wholeNumber(1, 5000), 200)
  .option("--instances <n>", "instances per app (2-8)", wholeNumber(2, 8), 3)
  .addOption(new Option("--lb <kind>", "load balancer").choices(BALANCER_KINDS).default("builtin"))
  .option("--report-dir <dir>", "where bench.json and bench.md are written", "reports")
  .addHelpText("after", "\nDefaults take about a minute and a half on 2 cores. Exit code: 0, or 2 on a set-up error.");

async function main(): Promise<number> {
  const options = program.parse().opts<{
    duration: number;
    warmup: number;
    repetitions: number;
    connections: number;
    users: number;
    instances: number;
    lb: BalancerKind;
    reportDir: string;
  }>();
  process.once("SIGINT", () => void ManagedProcess.stopAll().finally(() => process.exit(130)));
  process.on("exit", () => ManagedProcess.killAllNow());
  try {
    const report = await bench({
      seconds: options.duration,
      warmUpSeconds: options.warmup,
      repetitions: options.repetitions,
      connections: options.connections,
      users: options.users,
      instances: options.instances,
      lb: options.lb,
      onProgress: (line) => process.stderr.write(`  ${line}\n`),
    });
    const table = new Table({ head: BENCH_HEADERS, style: { head: [], border: [] }, wordWrap: true });
    table.push(...benchRows(report));
    console.log(table.toString());
    for (const line of headlines(report)) console.log(line);
    await mkdir(options.reportDir, { recursive: true });
    await writeFile(join(options.reportDir, "bench.json"), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(options.reportDir, "bench.md"), benchMarkdown(report));
    console.log(`Reports: ${join(options.reportDir, "bench.json")}, ${join(options.reportDir, "bench.md")}`);
    return 0;
  } catch (error) {
    console.error(
      error instanceof MissingToolError ? error.message : `bench could not run: ${(error as Error).message}`,
    );
    await ManagedProcess.stopAll();
    return 2;
  }
}

void main().then((code) => process.exit(code));
