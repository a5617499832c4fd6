// `pnpm compare --store-rtt N`: the stateless clusters reach each store through a delay proxy, N ms
// of round trip away, as in production, where a store is a network away and never on loopback. The
// distance is measured and reported, and it changes no verdict: a journey on each store, and a
// Redis outage behind the proxy, at 2 ms.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./run-cli";
import { mismatchesIn, type Result } from "./support/mismatches";

jest.setTimeout(120_000);

describe("pnpm compare --store-rtt 2", () => {
  it("measures the stores 2 ms away and gives each journey its expected verdict: sessions, store credit, avatars, a Redis outage", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-"));
    const journeys = ["server-crash", "atm-double-spend", "avatar-upload", "store-outage"];
    const args = ["--store-rtt", "2", ...journeys.flatMap((name) => ["--journey", name]), "--report-dir", dir];
    const { code, stdout, stderr } = await runCli([...args, "--json"]);
    expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
    const report = JSON.parse(stdout);
    expect(mismatchesIn(report.results)).toEqual([]);
    const { askedMs, measuredMs, directMs } = report.storeDistance;
    expect(askedMs).toBe(2);
    // Measured through the proxy, beside the same PING without it.
    expect(measuredMs - directMs).toBeGreaterThan(1.8);
    expect(measuredMs - directMs).toBeLessThan(2.5);
    const outcomes = Object.fromEntries(report.results.map((r: Result) => [`${r.journey}:${r.app}`, r.outcome]));
    expect(outcomes).toEqual({
      "server-crash:stateful": "fail",
      "server-crash:stateless": "pass",
      "atm-double-spend:stateful": "fail",
      "atm-double-spend:stateless": "pass",
      "avatar-upload:stateful": "fail",
      "avatar-upload:stateless": "pass",
      "store-outage:stateful": "pass",
      "store-outage:stateless": "pass",
    });
    // The distance shows where a request meets a store: each use of Redis costs a round trip at least
    // (the proxy's delay is right to 0.15 ms at the median, and may fall a little short of it).
    const redisMs = (report.results as Result[])
      .filter((result) => result.app === "stateless")
      .flatMap((result) => result.steps.flatMap((step) => step.stores ?? []))
      .filter((use) => use.store === "redis")
      .map((use) => use.ms);
    expect(redisMs.length).toBeGreaterThan(0);
    expect(Math.min(...redisMs)).toBeGreaterThanOrEqual(1.7);
    expect(redisMs.sort((a, b) => a - b)[Math.floor(redisMs.length / 2)]).toBeGreaterThanOrEqual(2);
  });
});
