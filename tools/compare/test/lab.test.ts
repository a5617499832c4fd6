// The workshop's exercise, end to end: `pnpm lab:reset` makes a copy of the stateful app, which
// `pnpm compare --app lab` judges by the stateless app's expectations (it fails them, as the
// stateful app does); with a part's expected answer (--solved --part N), every journey of that
// part passes.
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { labParts } from "../src/rig/lab";
import { runCli } from "./run-cli";

const ROOT = join(__dirname, "..", "..", "..");
const ATTEMPT = join(ROOT, "apps", "lab", "attempts", `test-${process.pid}`);
const labEnv = { LAB_DIR: ATTEMPT };

function labReset(...args: string[]) {
  return promisify(execFile)(process.execPath, [join(ROOT, "scripts", "lab.mjs"), "--dir", ATTEMPT, ...args]);
}

afterAll(() => rm(ATTEMPT, { recursive: true, force: true }));

describe("the workshop lab", () => {
  it("starts as the stateful app: it fails where the stateless app passes", async () => {
    await labReset();
    const { code, stdout } = await runCli(
      ["--app", "lab", "--journey", "no-stickiness", "--journey", "server-crash"],
      labEnv,
    );
    expect(stdout).toMatch(/no-stickiness\s+lab\s+fail \(MISMATCH: expected pass\)[^\n]*UNKNOWN_SESSION/);
    expect(code).toBe(1);
  }, 60_000);

  it("keeps the kitchen's queue in memory until part 4: with part 3's answer, Dave's orders outlive kill -9 in the database but are never cooked, and a new server cooks only its own", async () => {
    await labReset("--solved", "--part", "3", "--force");
    const journeys = ["--journey", "kitchen-crash", "--journey", "kitchen-scale-out"];
    const { code, stdout } = await runCli(["--app", "lab", ...journeys], labEnv);
    expect(stdout).toMatch(/kitchen-crash\s+lab\s+fail \(MISMATCH: expected pass\)/);
    // Not gone, as on the stateful app: every server finds them, still waiting for a queue that died.
    expect(stdout).toMatch(/\d+ of Dave's 10 orders were still not ready 15 s after kill -9 of lab-\d/);
    // Behind round-robin the new server takes new orders, but none of the backlog the others hold.
    expect(stdout).toMatch(/kitchen-scale-out\s+lab\s+fail \(MISMATCH: expected pass\)/);
    expect(stdout).toMatch(/lab-4 cooked none of the orders other servers had taken in the 10 s after it joined/);
    expect(code).toBe(1);
  }, 150_000);

  it("is never overwritten without --force", async () => {
    await expect(labReset()).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${relative(ROOT, ATTEMPT)}/src already exists (your work?): add --force`),
    });
  });

  it.each(labParts().map(({ part }) => part))(
    "passes every journey of part %i with that part's expected answer: pnpm compare --app lab --part N exits 0",
    async (part) => {
      await labReset("--solved", "--part", String(part), "--force");
      const { code, stdout } = await runCli(["--app", "lab", "--part", String(part)], labEnv);
      expect(stdout).toContain("Every outcome matched its expectation.");
      expect(stdout).not.toContain("MISMATCH");
      expect(code).toBe(0);
    },
    240_000,
  );

  it("says in one line how to make the lab when there is none", async () => {
    const { code, stdout } = await runCli(["--app", "lab"], { LAB_DIR: join(ATTEMPT, "missing") });
    expect(stdout).toContain('create it with "pnpm lab:reset"');
    expect(code).toBe(2);
  }, 30_000);
});
