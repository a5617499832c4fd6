#!/usr/bin/env node
// `pnpm compare`: boots both clusters, runs the journeys, prints the verdict, writes the reports.
// Exit code: 0 if every outcome matched its expectation, 1 on a mismatch, 2 on a set-up error.
import { Command, Option } from "commander";
import { compare, type ExpectationKey } from "../compare/compare";
import { writeReportFiles } from "../compare/report/files";
import { terminalPainter } from "../compare/report/terminal";
import { NEEDS_LOCAL_CLUSTERS, NEEDS_SENTINEL } from "../compare/venues";
import { JOURNEYS } from "../journeys";
import { labDir } from "../rig/apps";
import { REDIS_KINDS, STORE_RTT_WITH_SENTINEL, type RedisKind } from "../rig/test-bed";
import { buildLab, labParts } from "../rig/lab";
import {
  APP_NAMES,
  ARCHITECTURES,
  type AppName,
  BALANCER_KINDS,
  type BalancerKind,
  JOURNEY_NAMES,
  type JourneyName,
  type Outcome,
} from "../vocabulary";
import { decimalNumber, oneOf, parseExpectation, parseUrl, wholeNumber } from "./options";
import { EXIT, runCommand, UsageError } from "./runner";

const journeyHelp = JOURNEY_NAMES.map((name) => {
  const { expected, expectedWithoutStorePersistence: forgetful, story, optIn } = JOURNEYS[name];
  const without = forgetful?.stateless ? ` (${forgetful.stateless} with --no-store-persistence)` : "";
  const onlyIfAsked = optIn ? " [only with --journey]" : "";
  return (
    `  ${name.padEnd(18)} stateful ${expected.stateful}, stateless ` +
    `${expected.stateless}${without}${onlyIfAsked}: ${story}`
  );
}).join("\n");

/** Options about the local clusters, which mean nothing when the stacks are given by URL. */
const LOCAL_ONLY_OPTIONS = ["instances", "lb", "storePersistence", "store", "storeRtt"];

const program = new Command()
  .name("pnpm compare")
  .description(
    "Run identical user journeys against real clusters of the stateful and the stateless app, under faults, and " +
      "compare.",
  )
  .addOption(
    new Option("--journey <name>", "run only this journey (repeatable)").argParser(oneOf(JOURNEY_NAMES, "journey")),
  )
  .addOption(
    new Option("--app <app>", "run only this app (lab: the workshop's exercise, judged as stateless)").choices(
      APP_NAMES,
    ),
  )
  .option(
    "--part <n>",
    `with --app lab: judge only that part of the lab (${labParts()
      .map(({ part, name }) => `${part}: ${name}`)
      .join("; ")})`,
    wholeNumber(1, labParts().length),
  )
  .option("--instances <n>", "instances per app (2-8)", wholeNumber(2, 8), 3)
  .addOption(
    new Option("--lb <kind>", "load balancer: built-in (no install) or real haproxy processes from PATH")
      .choices(BALANCER_KINDS)
      .default("builtin"),
  )
  .addOption(
    new Option("--stateful-url <url>", "shop at a running stateful stack (its balancer) instead of local clusters")
      .argParser(parseUrl)
      .conflicts(LOCAL_ONLY_OPTIONS),
  )
  .addOption(
    new Option("--stateless-url <url>", "shop at a running stateless stack (its balancer) instead of local clusters")
      .argParser(parseUrl)
      .conflicts(LOCAL_ONLY_OPTIONS),
  )
  .option("--no-store-persistence", "run the private Redis without its append-only file: a restart loses everything")
  .addOption(
    new Option(
      "--store <kind>",
      "the private Redis: one redis-server, or a primary, a replica and three Sentinels that fail over (store-failover)",
    )
      .choices(REDIS_KINDS)
      .default("single"),
  )
  .option(
    "--store-rtt <ms>",
    "the stores this far from the stateless clusters, a round trip in ms (0-100, fractions too: 0.2 within a " +
      "zone, 1-2 across zones), through a delay proxy in front of each; measured and reported. The journeys " +
      "run first at loopback (the proxies at 0 ms), then at the distance: each journey's time at both",
    decimalNumber(0, 100, " of milliseconds"),
  )
  .option("--chaos-seconds <n>", "how long the chaos journey goes on (2-600)", wholeNumber(2, 600, " of seconds"), 20)
  .option("--json", "print the JSON report to stdout (progress goes to stderr)")
  .option(
    "--trace",
    "print every request as it happens: user → balancer → instance, status, time, the stores it used (Server-Timing)",
  )
  .option("--report-dir <dir>", "where compare.json, compare.md (and compare.html) are written", "reports")
  .option(
    "--html",
    "also write compare.html: the verdicts, a sequence diagram of every journey and the latencies, in one " +
      "self-contained page (Mermaid bundled, nothing fetched)",
  )
  .option(
    "--expect <journey:app=outcome>",
    "replace an expectation, e.g. server-crash:stateful=pass (repeatable)",
    parseExpectation,
  )
  .addHelpText(
    "after",
    [
      "",
      "Journeys (expected outcomes):",
      journeyHelp,
      "",
      "Examples:",
      "  pnpm compare                                  the whole default matrix, built-in balancer",
      "  pnpm compare --journey server-crash --trace   one journey, every request as it happens",
      "  pnpm compare --html                           also reports/compare.html, diagrams drawn",
      "  pnpm compare --lb haproxy --instances 4       real haproxy processes, 4 instances each",
      "  pnpm compare --app lab --part 1               the workshop lab's first part (pnpm lab:reset)",
      "  pnpm compare --store sentinel --journey store-failover   Redis's primary killed, twice",
      "  pnpm compare --store-rtt 2                    the stores 2 ms away from the apps: the verdicts stay",
      "  pnpm compare --stateful-url http://127.0.0.1:8081 --stateless-url http://127.0.0.1:8082",
      "",
      "Exit code: 0 if every outcome matched its expectation, 1 if not, 2 on a set-up error, 130 on Ctrl-C.",
      "Redis: a private redis-server is started on a free port unless REDIS_URL is set.",
      "By URL (--stateful-url, --stateless-url): only the journeys that need no process control run; the others " +
        "are skipped.",
    ].join("\n"),
  );

interface CliOptions {
  journey?: JourneyName[];
  app?: AppName;
  part?: number;
  instances: number;
  lb: BalancerKind;
  storePersistence: boolean;
  store: RedisKind;
  storeRtt?: number;
  chaosSeconds: number;
  json?: boolean;
  trace?: boolean;
  reportDir: string;
  html?: boolean;
  expect?: Partial<Record<ExpectationKey, Outcome>>;
  statefulUrl?: string;
  statelessUrl?: string;
}

/** What to compare; or, when the flags contradict each other, why not (one line). */
function plan(
  options: CliOptions,
): { apps: AppName[]; journeys: JourneyName[]; urls?: Partial<Record<AppName, string>> } | string {
  // Always in the matrix's order (the report's), whatever the order of the flags.
  if (options.part !== undefined && options.app !== "lab") return "--part judges a part of the lab: add --app lab";
  // A part of the lab is judged by its own journeys only; the whole lab by those of all its parts
  // (a story whose lab part is still to come is not the attendees' to pass).
  const parts = labParts().filter(({ part }) => options.part === undefined || part === options.part);
  if (options.part !== undefined && parts[0]!.journeys.length === 0)
    return (
      `part ${options.part}, ${parts[0]!.name}, is a part to read: no journey tells it from the part before ` +
      `(pnpm diff:apps --part ${options.part})`
    );
  const judged = options.app === "lab" ? new Set(parts.flatMap(({ journeys }) => journeys)) : undefined;
  const journeys = JOURNEY_NAMES.filter(
    (name) =>
      (options.journey ? options.journey.includes(name) : !JOURNEYS[name].optIn) && (!judged || judged.has(name)),
  );
  const needsSentinel = journeys.filter((name) => JOURNEYS[name].needsSentinel);
  if (options.store !== "sentinel" && needsSentinel.length > 0) return `${needsSentinel.join(", ")} ${NEEDS_SENTINEL}`;
  if (options.store === "sentinel" && process.env.REDIS_URL)
    return "--store sentinel starts a Redis of its own: unset REDIS_URL";
  if (options.store === "sentinel" && options.storeRtt !== undefined) return STORE_RTT_WITH_SENTINEL;
  const urls = { stateful: options.statefulUrl, stateless: options.statelessUrl };
  const byUrl = ARCHITECTURES.filter((app) => urls[app]);
  if (byUrl.length === 0) return { apps: options.app ? [options.app] : [...ARCHITECTURES], journeys };
  if (options.app === "lab") return "--app lab runs the lab's local cluster: leave out --stateful-url/--stateless-url";
  if (options.app && !urls[options.app])
    return `--app ${options.app} needs --${options.app}-url when the other stack is given by URL`;
  const local = options.journey?.filter((name) => JOURNEYS[name].needsLocalClusters) ?? [];
  if (local.length > 0) return `${local.join(", ")} ${NEEDS_LOCAL_CLUSTERS}`;
  return { apps: options.app ? [options.app] : byUrl, journeys, urls };
}

runCommand<CliOptions>({
  program,
  // With --json, stdout carries the report: progress goes to stderr.
  progressTo: (options) => (options.json ? process.stderr : process.stdout),
  async run(options, { say, colors }) {
    const what = plan(options);
    if (typeof what === "string") throw new UsageError(what);
    const { apps, journeys, urls } = what;
    const paint = terminalPainter(colors);
    say(
      urls
        ? `Comparing ${apps.map((app) => `${app} at ${urls[app]}`).join(" and ")}: ${journeys.length} journey(s).`
        : `Comparing ${apps.join(" and ")}: ${journeys.length} journey(s), ${options.instances} instances each, ` +
            `behind the ${options.lb} balancer` +
            (options.storeRtt === undefined ? "." : `, each store ${options.storeRtt} ms away.`),
    );
    if (apps.includes("lab")) {
      say(`Building the lab (${labDir()})…`);
      await buildLab(labDir());
    }
    const report = await compare(
      {
        journeys,
        named: options.journey,
        apps,
        instances: options.instances,
        lb: options.lb,
        storePersistence: options.storePersistence,
        redisKind: options.store,
        storeRoundTripMs: options.storeRtt,
        chaosSeconds: options.chaosSeconds,
        // A trace reads as one story: one journey at a time.
        sideBySide: !options.trace,
        urls,
        expect: options.expect ?? {},
      },
      {
        onPass: (description) => say(description),
        onJourneyStart: (name) => say(`▸ ${name}: ${JOURNEYS[name].story}`),
        onResult: (result) => say(paint.journeyLine(result)),
        onStep: options.trace ? (app, step) => say(paint.traceLine(app, step)) : undefined,
        onProcessStart: options.trace
          ? (owner, id, pid) => say(`    [${owner}] started ${id} (pid ${pid})`)
          : undefined,
        onFault: options.trace ? (app, fault) => say(paint.faultLine(app, fault)) : undefined,
      },
    );
    const files = await writeReportFiles(report, options.reportDir, { html: options.html === true });
    // Waits for the write: on a pipe it is asynchronous, and exiting first would cut the report at 64 kB.
    if (options.json)
      await new Promise((resolve) => process.stdout.write(`${JSON.stringify(report, null, 2)}\n`, resolve));
    else say(`\n${paint.table(report, process.stdout.columns || 120)}`);
    say(`Reports: ${files.join(", ")}`);
    return report.matched ? EXIT.ok : EXIT.mismatch;
  },
});
