// pnpm compare on a Redis given by REDIS_URL, which outlives the run, so that one run finds what
// the one before left there. The brute-force journey locks alice (and this machine's address) out
// of the stateless app's logins for a minute; the suite lifts that lock-out once the journey ends,
// so a second run at once can still log her in. (A Redis of this file's own: lifting a lock-out
// in the test run's shared one would reach into other files' login tests.)
import { LocalRedisServer } from "@cart/local-infra";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./run-cli";

let redis: LocalRedisServer;
beforeAll(async () => {
  redis = await LocalRedisServer.start();
});
afterAll(() => redis?.stop());

describe("pnpm compare twice in a row on a Redis given by REDIS_URL", () => {
  it("after brute-force, the next run's journeys log alice in as usual", async () => {
    const given = { REDIS_URL: redis.url };
    const attack = await runCli(
      ["--journey", "brute-force", "--report-dir", await mkdtemp(join(tmpdir(), "compare-"))],
      given,
    );
    expect(attack.stdout).toContain("Every outcome matched its expectation.");
    const next = await runCli(
      ["--journey", "happy-path", "--app", "stateless", "--report-dir", await mkdtemp(join(tmpdir(), "compare-"))],
      given,
    );
    expect(next.stdout).toMatch(/happy-path\s+stateless\s+pass \(as expected\)/);
    expect(next.code).toBe(0);
  }, 90_000);
});
