// The workshop's exercise, end to end, through the commands an attendee types: `pnpm lab:reset`
// makes a copy of the stateful app with hints above the lines each part changes, judged by the
// stateless app's expectations behind round-robin, as the stateless app runs (the untouched copy
// fails every part; the kitchen's, shown on part 5's answer, whose kitchen is the copy's), and with
// a part's expected answer (--solved --part N) `pnpm lab:check --part N` passes every journey of
// that part; `--diff` shows the attendee's files beside the answer's.
import { execFile } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { labParts } from "../src/rig/lab";
import { runCli } from "./run-cli";

const ROOT = join(__dirname, "..", "..", "..");
const ATTEMPT = join(ROOT, "apps", "lab", "attempts", `test-${process.pid}`);
const LAB_CHECK = join(ROOT, "scripts", "lab-check.mjs");
const STATEFUL_SRC = join(ROOT, "apps", "stateful", "src");
/** Part 6's story on the lab before part 6: its queue in one server's memory. */
const KITCHEN_STORY: readonly string[] = ["kitchen-crash", "kitchen-scale-out"];
const PARTS = labParts();
const JUDGED = PARTS.filter(({ journeys }) => journeys.length > 0);

function labReset(...args: string[]) {
  return promisify(execFile)(process.execPath, [join(ROOT, "scripts", "lab.mjs"), "--dir", ATTEMPT, ...args]);
}
const labCheck = (...args: string[]) => runCli([...args, "--dir", ATTEMPT], {}, LAB_CHECK);

afterAll(() => rm(ATTEMPT, { recursive: true, force: true }));

describe("the workshop lab", () => {
  it("starts as the stateful app, a hint above each line to change, and fails every part it is judged by", async () => {
    await labReset();
    const app = readFileSync(join(ATTEMPT, "src", "app.ts"), "utf8");
    expect(app).toMatch(/^ {2}\/\/ LAB HINT, part 1 \(sessions and carts\): Sessions live in this process's memory/m);
    // The stateful app itself, every file, but for the lines lab:reset writes (as scripts/lab-tree.mjs
    // tells them: a comment starting `// LAB`).
    const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
    const withoutNotes = (file: string) =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => !line.trimStart().startsWith("// LAB"))
        .join("\n");
    expect(files(join(ATTEMPT, "src"))).toEqual(files(STATEFUL_SRC));
    for (const file of files(STATEFUL_SRC).filter((name) => name.endsWith(".ts"))) {
      expect({ file, source: withoutNotes(join(ATTEMPT, "src", file)) }).toEqual({
        file,
        source: readFileSync(join(STATEFUL_SRC, file), "utf8"),
      });
    }
    // Each part's first journey fails on it (the kitchen's part: the next test's journeys).
    const firsts = JUDGED.filter(({ journeys }) => !journeys.some((name) => KITCHEN_STORY.includes(name))).map(
      ({ journeys }) => journeys[0]!,
    );
    expect(firsts.length).toBe(JUDGED.length - 1);
    const { code, stdout } = await runCli(["--app", "lab", ...firsts.flatMap((name) => ["--journey", name])], {
      LAB_DIR: ATTEMPT,
    });
    for (const name of firsts)
      expect(stdout).toMatch(new RegExp(`${name}\\s+lab\\s+fail \\(MISMATCH: expected pass\\)`));
    // Even the happy path: behind round-robin, the second request reaches a server that never saw the login.
    expect(stdout).toMatch(/happy-path\s+lab\s+fail \(MISMATCH: expected pass\)[^\n]*UNKNOWN_SESSION/);
    expect(code).toBe(1);
    // Its servers ran as the apps' do: bundled, from the launcher that keeps V8's code cache.
    expect(readFileSync(join(ATTEMPT, "dist", "server.js"), "utf8")).toBe(
      readFileSync(join(ROOT, "scripts", "server-launcher.cjs"), "utf8"),
    );
    const map = JSON.parse(readFileSync(join(ATTEMPT, "dist", "server.bundle.js.map"), "utf8")) as {
      sources: string[];
    };
    expect(map.sources.map((source) => resolve(ATTEMPT, "dist", source))).toContain(join(ATTEMPT, "src", "app.ts"));
  }, 120_000);

  it("keeps the kitchen's queue in memory until part 6: with part 5's answer, Dave's orders outlive kill -9 in the database but are never cooked, and a new server cooks only its own", async () => {
    await labReset("--solved", "--part", "5", "--force");
    // Two of part 6's journeys tell the story (the third, a rolling deploy, takes as long again).
    const journeys = KITCHEN_STORY.flatMap((name) => ["--journey", name]);
    const { code, stdout } = await runCli(["--app", "lab", ...journeys], { LAB_DIR: ATTEMPT });
    expect(stdout).toMatch(/kitchen-crash\s+lab\s+fail \(MISMATCH: expected pass\)/);
    // Not gone, as on the stateful app: every server finds them, still waiting for a queue that died.
    expect(stdout).toMatch(/\d+ of Dave's 10 orders were still not ready 15 s after kill -9 of lab-\d/);
    // Behind round-robin the new server takes new orders, but none of the backlog the others hold.
    expect(stdout).toMatch(/kitchen-scale-out\s+lab\s+fail \(MISMATCH: expected pass\)/);
    expect(stdout).toMatch(/lab-4 cooked none of the orders other servers had taken in the [\d.]+ s after it joined/);
    expect(code).toBe(1);
  }, 150_000);

  it("is never overwritten without --force", async () => {
    await expect(labReset()).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${relative(ROOT, ATTEMPT)}/src already exists (your work?): add --force`),
    });
  });

  // The audit that ends a check, on the first judged part (what later parts still move, each named
  // with its part) and the last (nothing left); test/lab-audit.test.ts checks what it finds after
  // every part's answer.
  const AUDITED = [JUDGED[0]!.part, JUDGED.at(-1)!.part];

  it.each(JUDGED.map(({ part }) => part))(
    "passes every journey of part %i with that part's expected answer: pnpm lab:check --part N exits 0",
    async (part) => {
      await labReset("--solved", "--part", String(part), "--force");
      const audited = AUDITED.includes(part);
      const { code, stdout } = await labCheck("--part", String(part), ...(audited ? [] : ["--no-audit"]));
      expect(stdout).toContain("Every outcome matched its expectation.");
      expect(stdout).not.toContain("MISMATCH");
      expect(code).toBe(0);
      if (!audited) {
        expect(stdout).not.toContain("The state audit");
        return;
      }
      // Then the state audit: what the parts after this one still move out, each named with its part.
      const audit = stdout.slice(stdout.indexOf("The state audit (pnpm find-state"));
      const left = PARTS.filter((later) => later.part > part).flatMap((later) =>
        later.audit.map((label) => `${label}: moved out by part ${later.part} (${later.name})`),
      );
      if (left.length === 0) expect(audit).toContain("finds no state left in one server.");
      for (const line of left) expect(audit).toContain(line);
      expect(audit).not.toContain("none of the parts");
    },
    240_000,
  );

  it("--diff: the attendee's files beside the answer's, part by part, without the hints", async () => {
    await labReset("--solved", "--part", "2", "--force");
    const same = await labCheck("--part", "2", "--diff");
    expect(same.stdout).toBe(
      "# The expected answer after part 2 (-, answer/) and yours (+, yours/: " + `${relative(ROOT, ATTEMPT)}/src):\n\n`,
    );
    expect(same.code).toBe(0);
    const next = await labCheck("--part", "3", "--diff");
    expect(next.stdout).toMatch(/^diff --git a\/answer\/avatar-repository\.ts b\/yours\/avatar-repository\.ts$/m);
    expect(next.stdout).toMatch(/^-import type { ObjectStore } from "@cart\/s3-kit";$/m);
    expect(next.stdout).not.toContain("LAB HINT");
  }, 30_000);

  it("says which part no journey judges, and how to read it", async () => {
    const last = PARTS.at(-1)!;
    const { code, stdout } = await labCheck("--part", String(last.part));
    expect(stdout).toBe(
      `lab:check: part ${last.part}, ${last.name}, is a part to read: no journey tells it from the part before ` +
        `(pnpm diff:apps --part ${last.part}).\n`,
    );
    expect(code).toBe(0);
  }, 30_000);

  it("says why when the lab does not compile: the compiler's error, and exit 2", async () => {
    await labReset("--force");
    appendFileSync(join(ATTEMPT, "src", "app.ts"), 'export const broken: number = "a string";\n');
    const { code, stdout } = await labCheck("--part", "1", "--no-audit");
    expect(stdout).toMatch(/the lab does not compile:\n.*src\/app\.ts\(\d+,\d+\): error TS2322/);
    expect(stdout).not.toMatch(/ lab +(pass|fail)/);
    expect(code).toBe(2);
  }, 60_000);

  it("says in one line how to make the lab when there is none", async () => {
    const { code, stdout } = await runCli(["--app", "lab"], { LAB_DIR: join(ATTEMPT, "missing") });
    expect(stdout).toContain('create it with "pnpm lab:reset"');
    expect(code).toBe(2);
  }, 30_000);
});
