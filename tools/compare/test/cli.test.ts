// The command line itself: help, wrong input, a missing Redis, and Ctrl-C leaving no process behind.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alive, runCli, startCli } from "./run-cli";

jest.setTimeout(60_000);

describe("pnpm compare --help", () => {
  it("lists every flag and every journey with its expectations, and exits 0", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    const flags = ["--journey", "--app", "--instances", "--lb", "--stateful-url", "--stateless-url"];
    flags.push("--no-store-persistence", "--store", "--json", "--trace", "--report-dir", "--expect");
    for (const flag of flags) expect(stdout).toContain(flag);
    expect(stdout).toMatch(/server-crash\s+stateful fail, stateless pass/);
    expect(stdout).toMatch(/store-restart\s+stateful pass, stateless pass \(fail with --no-store-persistence\)/);
  });
});

describe("wrong input", () => {
  it.each([
    [["--journey", "moon-landing"], 'unknown journey "moon-landing"'],
    [["--app", "serverless"], "serverless"],
    [["--instances", "1"], "a whole number from 2 to 8"],
    [["--lb", "nginx"], "nginx"],
    [["--expect", "server-crash=pass"], "JOURNEY:APP=pass|fail"],
    [["--store", "cluster"], "cluster"],
    [
      ["--journey", "store-failover"],
      "store-failover needs a Redis primary, a replica and three Sentinels: add --store sentinel",
    ],
    [["--store-rtt", "-1"], "a number of milliseconds from 0 to 100"],
    [
      ["--store-rtt", "2", "--store", "sentinel", "--journey", "store-failover"],
      "Sentinel hands the apps the primary's own address, which goes round it",
    ],
    [
      ["--store-rtt", "2", "--stateless-url", "http://127.0.0.1:8082"],
      "option '--stateless-url <url>' cannot be used with option '--store-rtt <ms>'",
    ],
  ])("%j is refused with exit 2 and says why", async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe("without redis-server on PATH and without REDIS_URL", () => {
  it("says in one line how to fix it, and exits 2", async () => {
    const emptyPath = await mkdtemp(join(tmpdir(), "no-redis-"));
    const { code, stdout } = await runCli(["--journey", "happy-path"], { PATH: emptyPath });
    expect(code).toBe(2);
    expect(stdout).toContain("redis-server is not on PATH: install Redis (Debian/Ubuntu: apt-get install redis-server");
    expect(stdout).toContain("or set REDIS_URL");
  });
});

describe("Ctrl-C in the middle of a run", () => {
  it("stops every process the run started (instances and Redis), by PID", async () => {
    const run = startCli([
      "--trace",
      "--journey",
      "rolling-deploy",
      "--report-dir",
      await mkdtemp(join(tmpdir(), "compare-")),
    ]);
    const pids = () => [...run.output().matchAll(/started .* \(pid (\d+)\)/g)].map((match) => Number(match[1]));
    const deadline = Date.now() + 20_000;
    while (pids().length < 7 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids().length).toBeGreaterThanOrEqual(7); // Redis and 3 instances of each app
    run.child.kill("SIGINT");
    const { code } = await run.done;
    expect(code).toBe(130);
    expect(pids().filter(alive)).toEqual([]);
  });
});
