// `pnpm bench`, tiny: the report's shape, never its numbers (a timed test proves nothing).
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { ADDS_BEFORE_DELETE, pick } from "../src/bench/load-worker";
import { doublingDistances, type AtDistance } from "../src/bench/distance-bench";
import { PROBED_ROUTES, type RouteFigures } from "../src/bench/route-probe";
import { medianInterval, pairedRatio, type TargetRun } from "../src/bench/summary";
import { command } from "./run-cli";

jest.setTimeout(150_000);

const CLI = command("bench");

/** Runs `pnpm bench` with `args` on a private Redis; it must exit 0 (its output is shown if not). */
async function expectBenchToSucceed(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  // The end of what it said, when it failed: the reason is in its last lines.
  expect({ code, said: code === 0 ? "" : output.slice(-3000) }).toEqual({ code: 0, said: "" });
}

describe("the bench's request mix", () => {
  it("deletes a user's line at every 40th add of that user, so that no cart reaches the 99-per-line limit", () => {
    const adds: number[] = [];
    const ADD = 0.9; // a draw in the 15% of writes
    const aliceWrites = Array.from({ length: 2 * ADDS_BEFORE_DELETE }, () => pick(ADD, 0, adds).method);
    expect(aliceWrites.filter((method) => method === "DELETE")).toHaveLength(2);
    expect(aliceWrites[ADDS_BEFORE_DELETE - 1]).toBe("DELETE");
    // Another user's adds are counted apart: Bob's first is an add.
    expect(pick(ADD, 1, adds)).toMatchObject({ method: "POST", path: "/cart/items" });
    expect(pick(0.1, 0, adds)).toEqual({ method: "GET", path: "/cart" });
    expect(pick(0.99, 0, adds)).toEqual({ method: "GET", path: "/me" });
  });
});

describe("the headline ratios", () => {
  const run = (app: "stateless" | "stateful", repetition: number, requestsPerSecond: number): TargetRun => ({
    app,
    via: "balancer",
    repetition,
    requestsPerSecond,
    requests: requestsPerSecond,
    p50Ms: 1,
    p95Ms: 1,
    p99Ms: 1,
    errors: 0,
    errorKinds: {},
    servedBy: {},
    appCpuCores: 1,
  });

  it("are taken within each repetition, so that a machine slowing down between repetitions moves neither side apart", () => {
    // The machine at full speed, then at two thirds, then full again: each target's throughput moves
    // by a third (a ratio of their medians would take whichever medians fell), the ratio not at all.
    const runs = [1, 2 / 3, 1].flatMap((speed, i) => [
      run("stateful", i + 1, 3000 * speed),
      run("stateless", i + 1, 2700 * speed),
    ]);
    expect(pairedRatio(runs, { app: "stateless", via: "balancer" }, { app: "stateful", via: "balancer" })).toEqual({
      perRepetition: [0.9, 0.9, 0.9],
      median: 0.9,
      low: 0.9,
      high: 0.9,
      confidence: 0.75,
    });
  });

  it("give their median an interval from the order of the repetitions, and the confidence it holds", () => {
    expect(medianInterval([1.04, 0.98, 1.0, 1.02, 0.99])).toEqual({
      median: 1,
      low: 0.98,
      high: 1.04,
      confidence: 0.94,
    });
    // Nine: the second smallest and the second largest hold the median 96% of the time.
    expect(medianInterval([9, 1, 8, 2, 7, 3, 6, 4, 5])).toEqual({ median: 5, low: 2, high: 8, confidence: 0.96 });
  });
});

it("pnpm bench --profile --load-apart (1 s runs) writes bench.json with the six targets, the ratios and a profile of each app, and bench.md", async () => {
  const dir = await mkdtemp(join(tmpdir(), "bench-"));
  const args = [
    "--duration",
    "1",
    "--warmup",
    "1",
    "--repetitions",
    "1",
    "--users",
    "10",
    "--connections",
    "4",
    "--profile",
    "--load-apart",
  ];
  await expectBenchToSucceed([...args, "--instances", "2", "--report-dir", dir]);

  const report = JSON.parse(await readFile(join(dir, "bench.json"), "utf8"));
  expect(report.settings).toMatchObject({ instances: 2, users: 10, repetitions: 1, lb: "builtin" });
  expect(report.targets.map((t: { app: string; via: string }) => `${t.app} ${t.via}`)).toEqual([
    "stateful balancer",
    "stateful direct",
    "stateless balancer",
    "stateless direct",
    "express direct",
    "express+redis direct",
  ]);
  // Which errors, if any: the runs keep their kinds ("409 QUANTITY_LIMIT", "ECONNRESET"…).
  const kinds = report.runs.map((run: { app: string; via: string; errorKinds: object }) => run.errorKinds);
  expect(kinds).toEqual(report.runs.map(() => ({})));
  for (const target of report.targets) {
    expect(target.requestsPerSecond).toEqual({
      median: expect.any(Number),
      min: expect.any(Number),
      max: expect.any(Number),
    });
    expect(target.errors).toBe(0);
  }
  const stateless = report.targets.find(
    (t: { app: string; via: string }) => t.app === "stateless" && t.via === "balancer",
  );
  expect(Object.keys(stateless.servedBy).sort()).toEqual(["stateless-1", "stateless-2"]);
  expect(report.runs).toHaveLength(6); // 6 targets × 1 repetition
  expect(report.ratios).toEqual({
    statelessToStatefulThroughput: expect.any(Number),
    statelessToStatefulP99: expect.any(Number),
    statefulToBound: expect.any(Number),
    statelessToBound: expect.any(Number),
    boundWithRedisToBound: expect.any(Number),
    balancerOverheadP50Ms: { stateful: expect.any(Number), stateless: expect.any(Number) },
    maxMinRequestsPerInstance: { stateful: expect.any(Number), stateless: expect.any(Number) },
    statelessToStatefulCheckoutP50: expect.any(Number),
  });
  expect(report.ratios.statelessToStatefulThroughput).toBeGreaterThan(0);
  expect(report.headline.statelessToStatefulThroughput).toMatchObject({
    perRepetition: [report.ratios.statelessToStatefulThroughput],
    median: report.ratios.statelessToStatefulThroughput,
  });
  // --load-apart: its load generator on a CPU of its own, everything else on the others, wherever taskset can.
  const canPin = availableParallelism() >= 2 && spawnSync("taskset", ["--version"]).status === 0;
  if (canPin) {
    expect(report.settings.corePlan).toEqual({ load: expect.any(Number), rest: expect.any(Array) });
    expect(report.settings.corePlan.rest).not.toContain(report.settings.corePlan.load);
  } else expect(report.settings.corePlan).toBeNull();
  // Every timed checkout was placed and paid, on both apps (the big spenders never run out).
  for (const app of ["stateful", "stateless"]) {
    expect(report.checkouts[app]).toMatchObject({ checkouts: 200, failed: 0 });
    expect(report.checkouts[app].p50Ms).toBeGreaterThan(0);
  }
  expect(report.ratios.statelessToBound).toBeGreaterThan(0);

  // Where each app's CPU went, by package, from its own .cpuprofile kept beside the report.
  for (const app of ["stateful", "stateless"]) {
    const profile = report.profiles[app];
    expect(profile).toMatchObject({ windowOnly: true, file: join(dir, "profiles", `${app}.cpuprofile`) });
    expect(JSON.parse(await readFile(profile.file, "utf8"))).toHaveProperty("samples");
    const packages = profile.packages.map((p: { package: string }) => p.package);
    // A 1 s window on a busy machine holds few samples: which framework packages it catches varies
    // (a CI run once had helmet but not express or router); Node's HTTP and our own code are always in it.
    expect(packages).toContain("node:http");
    expect(packages.some((name: string) => name.startsWith("@cart/"))).toBe(true);
  }
  expect(report.profiles.stateful.packages.map((p: { package: string }) => p.package)).toContain("express-session");
  expect(report.profiles.stateless.packages.map((p: { package: string }) => p.package)).toContain("@redis/client");
  const markdown = await readFile(join(dir, "bench.md"), "utf8");
  expect(markdown).toMatch(/\| stateless via builtin balancer \|/);
  expect(markdown).toMatch(/\| minimal Express \+ the Redis round trips \(bound of stateless\) \|/);
  expect(markdown).toMatch(/a checkout, one at a time direct \(p50, p99\): stateful [\d.]+ ms/);
  // Where that time went, from each answer's Server-Timing: the stateful app's memory, the stateless app's two stores.
  expect(Object.keys(report.checkouts.stateful.stores)).toEqual(["memory"]);
  expect(Object.keys(report.checkouts.stateless.stores).sort()).toEqual(["postgres", "redis"]);
  expect(markdown).toMatch(
    /where a checkout's time goes .*: stateful memory [\d.]+ ms \(\d+ operations?\), stateless redis/,
  );
  expect(markdown).toMatch(/## Where the CPU goes[\s\S]*\| express-session \|/);
});

it("pnpm bench --chat (1 s) delivers every copy on the stateless side, across servers, and only some on the stateful side", async () => {
  const dir = await mkdtemp(join(tmpdir(), "bench-chat-"));
  const args = ["--chat", "--duration", "1", "--warmup", "1", "--connections", "6", "--rate", "4", "--instances", "2"];
  await expectBenchToSucceed([...args, "--report-dir", dir]);

  const report = JSON.parse(await readFile(join(dir, "bench-chat.json"), "utf8"));
  expect(report.settings).toMatchObject({ connections: 6, rate: 4, instances: 2, seconds: 1 });
  const { stateful, stateless } = report.apps;
  // Six users, one socket each, every one writing to the next: each copy reaches the one socket.
  expect(stateless.sent).toBeGreaterThan(0);
  expect(stateless).toMatchObject({ expected: stateless.sent, delivered: stateless.sent, errors: {} });
  expect(stateless.deliveredPercent).toBe(100);
  expect(stateless.acrossServers).toBeGreaterThan(0);
  expect(Object.keys(stateless.socketsPerServer).sort()).toEqual(["stateless-1", "stateless-2"]);
  // A new browser lands on the next server: some user's next one is on another server, out of reach.
  expect(stateful.deliveredPercent).toBeLessThan(100);
  expect(stateful.acrossServers).toBe(0);
  expect(stateful.errors.NOT_DELIVERED).toBeGreaterThan(0);
  expect(Object.keys(stateful.rssMbPerInstance).sort()).toEqual(["stateful-1", "stateful-2"]);
  // Ratios to the stateful app's deliveries, when it made any (else there is nothing to compare).
  const ratios = Object.values(report.ratios);
  expect(ratios).toHaveLength(3);
  for (const ratio of ratios)
    expect(stateful.delivered > 0 ? typeof ratio : ratio).toBe(stateful.delivered > 0 ? "number" : null);
  expect(await readFile(join(dir, "bench-chat.md"), "utf8")).toContain("| stateless | ");
});

it("pnpm bench --kitchen (1 s) cooks a backlog on each app and times checkouts with and without the kitchen's job", async () => {
  const dir = await mkdtemp(join(tmpdir(), "bench-kitchen-"));
  const args = ["--kitchen", "--kitchen-ms", "100", "--duration", "1", "--warmup", "1", "--workers", "2"];
  await expectBenchToSucceed([...args, "--report-dir", dir]);

  const report = JSON.parse(await readFile(join(dir, "bench-kitchen.json"), "utf8"));
  expect(report.settings).toMatchObject({ kitchenMs: [100], workers: 2, seconds: 1, checkouts: 200 });
  expect(report.cooking.map((run: { app: string }) => run.app)).toEqual(["stateful", "stateless"]);
  for (const run of report.cooking) {
    expect(run).toMatchObject({ kitchenMs: 100, workers: 2, idealPerWorkerPerSecond: 10 });
    expect(run.cooked).toBeGreaterThan(0);
    // The backlog outlasted the window: the workers never ran out of orders while they were counted.
    expect(run.leftWaiting).toBeGreaterThan(0);
  }
  for (const app of ["stateful", "stateless"]) {
    // Every checkout of both kinds was placed and paid.
    expect(report.checkouts[app].withoutJob).toMatchObject({ checkouts: 200, failed: 0 });
    expect(report.checkouts[app].withJob).toMatchObject({ checkouts: 200, failed: 0 });
  }
  // The stateless app's job is written in the order's transaction, sent with its other statements:
  // no round trip of its own.
  const { withoutJob, withJob } = report.checkouts.stateless;
  expect(withJob.stores.postgres.operations).toBe(1);
  expect(withoutJob.stores.postgres.operations).toBe(1);
  expect(report.ratios.statelessToStatefulPerWorker).toEqual([{ kitchenMs: 100, ratio: expect.any(Number) }]);
  expect(report.ratios.checkoutWithJobToWithout).toEqual({
    stateful: expect.any(Number),
    stateless: expect.any(Number),
  });
  const markdown = await readFile(join(dir, "bench-kitchen.md"), "utf8");
  expect(markdown).toMatch(/\| stateless \| 100 ms \| \d+ in 1 s \|/);
  expect(markdown).toMatch(/a checkout with its kitchen job \/ without \(p50\): stateful [\d.]+, stateless [\d.]+/);
});

it("pnpm bench --startup (2 starts) times each app's start to ready beside a bare Node server's, the new database apart", async () => {
  const dir = await mkdtemp(join(tmpdir(), "bench-startup-"));
  await expectBenchToSucceed(["--startup", "--starts", "2", "--report-dir", dir]);

  const report = JSON.parse(await readFile(join(dir, "bench-startup.json"), "utf8"));
  expect(report.settings).toMatchObject({ starts: 2, node: process.version });
  expect(report.runs.map((run: { target: string }) => run.target)).toEqual([
    "floor",
    "stateful",
    "stateful-no-code-cache",
    "stateless",
    "stateless-no-code-cache",
    "stateless-new-database",
  ]);
  for (const run of report.runs) {
    expect(run.readyMs).toHaveLength(2);
    expect(run.cpuMs).toHaveLength(2);
    expect(run.minReadyMs).toBeLessThanOrEqual(run.medianReadyMs);
    expect(run.medianReadyMs).toBeLessThanOrEqual(run.maxReadyMs);
  }
  expect(report.overFloor).toEqual({ stateful: expect.any(Number), stateless: expect.any(Number) });
  const markdown = await readFile(join(dir, "bench-startup.md"), "utf8");
  expect(markdown).toMatch(/\| stateless-new-database \| .+ \| \d+ ms \| \d+–\d+ ms \| \d+ ms \|/);
  expect(markdown).toMatch(/spawn to ready, median of 2: stateful \d+ ms, stateless \d+ ms/);
});

describe("where a route's latency doubles with distance", () => {
  const at = (askedMs: number, checkoutMs: number | null): AtDistance =>
    ({ askedMs, routes: [{ route: "checkout (a Coke)", p50Ms: checkoutMs }] }) as AtDistance;

  it("is read off the straight line between the two distances around twice the nearest figure", () => {
    // 3 ms at 0, 4 at 0.5, 8 at 1: twice 3 is crossed half way from 0.5 to 1.
    const doubling = doublingDistances([at(1, 8), at(0, 3), at(0.5, 4)]);
    expect(doubling["checkout (a Coke)"]).toBe(0.75);
  });

  it("is null when no distance measured gets there, and absent for a route with no figure", () => {
    const doubling = doublingDistances([at(0, 3), at(2, 5.9)]);
    expect(doubling["checkout (a Coke)"]).toBeNull();
    expect(doublingDistances([at(0, null), at(1, 4)])).toEqual({});
  });
});

it("pnpm bench --store-rtt 0,1 (1 repetition) times each route at each distance, the round trips each made, and draws them", async () => {
  const dir = await mkdtemp(join(tmpdir(), "bench-distance-"));
  const args = ["--store-rtt", "0,1", "--duration", "1", "--warmup", "1", "--repetitions", "1", "--probes", "6"];
  await expectBenchToSucceed([...args, "--users", "6", "--connections", "4", "--instances", "2", "--report-dir", dir]);

  const report = JSON.parse(await readFile(join(dir, "bench-distance.json"), "utf8"));
  expect(report.settings).toMatchObject({ distances: [0, 1], repetitions: 1, probes: 6, instances: 2 });
  const [near, far] = report.stateless as AtDistance[];
  expect([near!.askedMs, far!.askedMs]).toEqual([0, 1]);
  // What the proxy added, measured: about the millisecond asked, and next to nothing at 0 (the
  // fastest PINGs: on a busy machine the medians also hold the proxy's own waits for a core).
  expect(far!.addedMs).toBeGreaterThan(0.8);
  expect(far!.fastestAddedMs).toBeGreaterThan(0.8);
  expect(near!.fastestAddedMs).toBeLessThan(0.3);
  const route = (routes: RouteFigures[], name: string) => routes.find((figures) => figures.route === name)!;
  for (const routes of [report.stateful.routes, near!.routes, far!.routes] as RouteFigures[][])
    expect(routes.map((figures) => figures.route)).toEqual([...PROBED_ROUTES]);
  // The stateless checkout's round trips, each paying the millisecond once: its p50 at 1 ms is at
  // least their count in milliseconds, however fast or busy the machine (waiting only adds).
  const checkout = route(far!.routes, "checkout (a Coke)");
  expect(checkout).toMatchObject({ samples: 6, failed: 0 });
  expect(Object.keys(checkout.roundTrips!).sort()).toEqual(["postgres", "redis"]);
  expect(checkout.inSequence).toBeGreaterThanOrEqual(2);
  expect(checkout.p50Ms!).toBeGreaterThanOrEqual(0.9 * checkout.inSequence!);
  expect(route(report.stateful.routes, "checkout (a Coke)").roundTrips).toEqual({ memory: expect.any(Number) });
  // The chat crosses servers only on the stateless side; a frame has no Server-Timing.
  const chat = route(far!.routes, "chat to another server");
  expect(chat).toMatchObject({ samples: 6, failed: 0, roundTrips: null, inSequence: null });
  expect(route(report.stateful.routes, "chat to another server")).toMatchObject({ samples: 0, failed: 6, p50Ms: null });
  expect(Object.keys(report.doublesAtMs)).toEqual([...PROBED_ROUTES]); // each a distance, or null: beyond 1 ms

  const svg = await readFile(join(dir, "bench-distance.svg"), "utf8");
  expect(svg.match(/<polyline /g)).toHaveLength(PROBED_ROUTES.length); // a line per stateless route
  expect(await readFile(join(dir, "bench-distance.html"), "utf8")).toContain("<svg ");
  const markdown = await readFile(join(dir, "bench-distance.md"), "utf8");
  expect(markdown).toContain("![p50 of each route against the stores' round trip](bench-distance.svg)");
  expect(markdown).toMatch(
    /\| checkout \(a Coke\) \| [\d.]+ \([\d.]+\) \| [\d.]+ \([\d.]+\) \| [\d.]+ \([\d.]+\) \| redis \d \+ postgres \d: \d+ in a row \|/,
  );
});

it("pnpm bench --store-rtt refuses a distance that is not a round trip in milliseconds, in one line, exit 2", () => {
  const refused = spawnSync(process.execPath, [CLI, "--store-rtt", "0,abc"], { encoding: "utf8" });
  expect(refused.stderr.trim()).toBe(
    `error: option '--store-rtt [list]' argument '0,abc' is invalid. "abc" is not a round trip of 0 to 100 ms`,
  );
  expect(refused.status).toBe(2);
});
