// `pnpm diff:apps`: the difference between the two apps, whole or one part (one story) at a time,
// each part's tree built on the one before it, from the stateful app to the stateless one; and
// the budgets that keep it the lesson and only the lesson.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const SCRIPT = join(ROOT, "scripts", "diff-apps.mjs");
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });
const PARTS = (
  JSON.parse(readFileSync(join(ROOT, "apps", "lab", "parts.json"), "utf8")) as {
    parts: { part: number; name: string; journeys: string[] }[];
  }
).parts;
const added = (diff: string) =>
  diff
    .split("\n")
    .filter((line) => line.startsWith("+"))
    .join("\n");

describe("pnpm diff:apps", () => {
  it("prints the diff of the two apps' sources and exits 0", () => {
    const { status, stdout } = run("--stat");
    expect(stdout).toMatch(/apps\/\{stateful => stateless\}\/src\/identity\.ts/);
    expect(status).toBe(0);
  });

  it("--budget: the whole diff within the budget the docs quote, and each part within its own", () => {
    const { status, stdout } = run("--budget");
    const [whole, ...parts] = stdout.trim().split("\n");
    expect(whole).toMatch(/^diff:apps: \d+ changed lines, within the budget of \d+$/);
    expect(parts.map((line) => line.replace(/\d+ changed/, "N changed"))).toEqual(
      PARTS.map(({ part, name }) => `  part ${part}, ${name}: N changed lines, within the budget of 250`),
    );
    expect(status).toBe(0);
    const budget = /the budget of (\d+)/.exec(whole!)![1]!;
    expect(readFileSync(join(ROOT, "docs", "the-difference.md"), "utf8")).toContain(
      `fails above a budget of ${budget} changed lines`,
    );
  });

  it("--part N: one story at a time, from the stateful app (part 1) to the stateless one (the last)", () => {
    const first = run("--part", "1");
    expect(first.stdout).toMatch(/^# Part 1 of \d, sessions and carts: /);
    expect(first.stdout).toMatch(/^# Judged by: concurrency, /m);
    expect(first.stdout).toMatch(/^diff --git a\/stateful\/cart-repository\.ts b\/part-1\/cart-repository\.ts$/m);
    expect(added(first.stdout)).toMatch(/RedisCartRepository/);
    expect(added(first.stdout)).not.toMatch(/PgAccountRepository|S3AvatarRepository|SharedChatState|jwt/i);
    expect(first.status).toBe(0);

    const second = run("--part", "2", "--stat");
    expect(second.stdout).toMatch(/\{part-1 => part-2\}\/account-repository\.ts/);
    expect(second.stdout).not.toMatch(/cart-repository|chat|identity/);

    const last = run("--part", String(PARTS.length));
    expect(last.stdout).toMatch(/^# No journey tells it apart/m);
    expect(last.stdout).toMatch(/^diff --git a\/part-\d\/identity\.ts b\/stateless\/identity\.ts$/m);
    expect(added(last.stdout)).toMatch(/signToken/);
    expect(added(last.stdout)).not.toMatch(/MemoryStore|InMemory|RedisCartRepository/);
  });

  it("--part: the last part's tree is the stateless app itself, so the parts add up to the whole diff", () => {
    const lab = join(ROOT, "apps", "lab", "attempts", `diff-${process.pid}`);
    try {
      const lesson = [join(ROOT, "scripts", "lab.mjs"), "--solved", "--part", String(PARTS.length), "--dir", lab];
      expect(spawnSync(process.execPath, lesson).status).toBe(0);
      const same = spawnSync("git", [
        "diff",
        "--no-index",
        "--stat",
        join(lab, "src"),
        join(ROOT, "apps/stateless/src"),
      ]);
      expect(same.stdout.toString()).toBe("");
      expect(same.status).toBe(0);
    } finally {
      rmSync(lab, { recursive: true, force: true });
    }
  });

  it("--part out of range: one line saying which numbers there are", () => {
    const { status, stderr } = run("--part", "0");
    expect(stderr).toBe(`diff:apps: --part must be a whole number from 1 to ${PARTS.length}\n`);
    expect(status).toBe(2);
  });
});
