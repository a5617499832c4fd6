// `pnpm bench`, tiny: the report's shape, never its numbers (a timed test proves nothing).
import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { command } from "./run-cli";

jest.setTimeout(90_000);

const CLI = command("bench");

it("pnpm bench (1 s runs) writes bench.json with the four targets and the ratios, and bench.md", async () => {
  const dir = await mkdtemp(join(tmpdir(), "bench-"));
  const args = ["--duration", "1", "--warmup", "1", "--repetitions", "2", "--users", "10", "--connections", "4"];
  const child = spawn(process.execPath, [CLI, ...args, "--instances", "2", "--report-dir", dir], {
    env: { ...process.env, REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  expect({ code, output }).toMatchObject({ code: 0 });

  const report = JSON.parse(await readFile(join(dir, "bench.json"), "utf8"));
  expect(report.settings).toMatchObject({ instances: 2, users: 10, repetitions: 2, lb: "builtin" });
  expect(report.targets.map((t: { app: string; via: string }) => `${t.app} ${t.via}`)).toEqual([
    "stateful balancer",
    "stateful direct",
    "stateless balancer",
    "stateless direct",
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
  expect(report.runs).toHaveLength(8); // 4 targets × 2 repetitions, interleaved
  expect(report.ratios).toEqual({
    statelessToStatefulThroughput: expect.any(Number),
    statelessToStatefulP99: expect.any(Number),
    balancerOverheadP50Ms: { stateful: expect.any(Number), stateless: expect.any(Number) },
    maxMinRequestsPerInstance: { stateful: expect.any(Number), stateless: expect.any(Number) },
  });
  expect(report.ratios.statelessToStatefulThroughput).toBeGreaterThan(0);
  expect(await readFile(join(dir, "bench.md"), "utf8")).toMatch(/\| stateless via builtin balancer \|/);
});
