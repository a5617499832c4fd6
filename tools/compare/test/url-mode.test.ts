// `pnpm compare --stateful-url … --stateless-url …`: the journeys that need no process control,
// run against stacks that are already running (here: local clusters started by the test, as
// the Docker Compose stack would be), and the fault journeys refused or skipped with the reason.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JOURNEYS } from "../src/journeys";
import type { Stack } from "../src/rig/stack";
import { TestBed } from "../src/rig/test-bed";
import { ARCHITECTURES, type Architecture } from "../src/vocabulary";
import { runCli } from "./run-cli";
import { mismatchesIn, type Result } from "./support/mismatches";

jest.setTimeout(60_000);

const stacks: Partial<Record<Architecture, Stack>> = {};
const urlArgs = () => [
  "--stateful-url",
  stacks.stateful!.balancer.url,
  "--stateless-url",
  stacks.stateless!.balancer.url,
];

let bed: TestBed;
beforeAll(async () => {
  // The test run's Redis (REDIS_URL), as a running stack would have its own.
  bed = await TestBed.open({ lb: "builtin" });
  for (const app of ARCHITECTURES) stacks[app] = await bed.startStack(app, { instances: 3 });
});

afterAll(() => bed.close());

describe("pnpm compare against running stacks given by URL", () => {
  it("runs the journeys that need no process control with the usual verdicts, skips the rest, exits 0", async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-url-"));
    const { code, stdout } = await runCli([...urlArgs(), "--trace", "--report-dir", dir]);
    const report = JSON.parse(await readFile(join(dir, "compare.json"), "utf8"));
    const results = report.results as Result[];
    // Named first, so that a failure says which journey went wrong and how.
    expect(mismatchesIn(results)).toEqual([]);

    const ran = results.filter((result) => result.outcome !== "skipped");
    expect(ran.map(({ journey, app, outcome }) => `${journey}:${app}=${outcome}`).sort()).toEqual(
      [
        "happy-path:stateful=pass",
        "happy-path:stateless=pass",
        "concurrency:stateful=pass",
        "concurrency:stateless=pass",
        "logout-everywhere:stateful=pass",
        "logout-everywhere:stateless=pass",
        "load-spread:stateful=fail",
        "load-spread:stateless=pass",
        "atm-different-answers:stateful=fail",
        "atm-different-answers:stateless=pass",
        "atm-double-spend:stateful=fail",
        "atm-double-spend:stateless=pass",
        "avatar-upload:stateful=fail",
        "avatar-upload:stateless=pass",
        "chat-across-servers:stateful=fail",
        "chat-across-servers:stateless=pass",
        "chat-typing:stateful=fail",
        "chat-typing:stateless=pass",
      ].sort(),
    );
    for (const skipped of results.filter((result) => result.outcome === "skipped")) {
      if (skipped.journey === "brute-force") {
        // Someone's own stack: alice locked out of it for a minute only when asked for by name.
        expect(skipped.failure).toBe(
          "locks alice out of this stack's logins for a minute: against a stack given by URL it runs only when " +
            "asked for, with --journey brute-force",
        );
        continue;
      }
      expect(JOURNEYS[skipped.journey as keyof typeof JOURNEYS].needsLocalClusters).toBe(true);
      expect(skipped.failure).toContain("needs the local clusters");
    }
    // The old credentials were tried on every server of each stack, through its balancer.
    for (const app of ARCHITECTURES) {
      const logout = ran.find((result) => result.journey === "logout-everywhere" && result.app === app)!;
      expect(logout.details?.refusedBy).toEqual([`${app}-1`, `${app}-2`, `${app}-3`]);
    }
    expect(report.lb).toBe("given by URL");
    expect(stdout).not.toMatch(/\] started /); // nothing of its own: no Redis, no instance, no balancer
    // Each traced request says where the server's time went (its Server-Timing), through a balancer of someone else's.
    expect(stdout).toMatch(/\[stateful\] Alice → balancer → stateful-\d: GET \/cart 200 .*\(memory [\d.]+ ms ×\d+\)/);
    expect(stdout).toMatch(/\[stateless\] Alice → balancer → stateless-\d: GET \/cart 200 .*\(redis [\d.]+ ms ×\d+\)/);
    expect(code).toBe(0);
  });

  it("runs brute-force against someone's own stack when asked for by name", async () => {
    const { code, stdout } = await runCli([...urlArgs(), "--journey", "brute-force"]);
    expect(stdout).toMatch(/brute-force\s+stateful\s+fail \(as expected\)/);
    expect(stdout).toMatch(/brute-force\s+stateless\s+pass \(as expected\)/);
    expect(code).toBe(0);
  });

  it.each([
    [["--journey", "server-crash"], "server-crash needs the local clusters"],
    [["--lb", "haproxy"], "cannot be used with option '--lb <kind>'"],
    [["--app", "stateful", "--stateless-url", "http://127.0.0.1:1"], "--app stateful needs --stateful-url"],
    [["--stateful-url", "ftp://example"], "an http:// or https:// URL"],
  ])("refuses %j in one line, with exit 2", async (args, message) => {
    const { code, stderr } = await runCli([
      ...(args.includes("--app") || args[0] === "--stateful-url" ? [] : urlArgs()),
      ...args,
    ]);
    expect(stderr).toContain(message);
    expect(code).toBe(2);
  });
});
