// `pnpm diff:apps`: the difference between the two apps, whole or in two steps of one idea each
// (where state lives, then how a user is recognised), through the workshop lab's expected answer.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const SCRIPT = join(__dirname, "..", "scripts", "diff-apps.mjs");
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });

describe("pnpm diff:apps", () => {
  it("prints the diff of the two apps' sources and exits 0", () => {
    const { status, stdout } = run("--stat");
    expect(stdout).toMatch(/apps\/\{stateful => stateless\}\/src\/identity\.ts/);
    expect(status).toBe(0);
  });

  it("--budget: the apps differ by the lesson and no more, within the budget the README quotes", () => {
    const { status, stdout } = run("--budget");
    expect(stdout).toMatch(/^diff:apps: \d+ changed lines, within the budget of \d+\n$/);
    expect(status).toBe(0);
    const budget = /the budget of (\d+)/.exec(stdout)![1]!;
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    expect(readme).toContain(`fails above a budget of ${budget} changed lines`);
  });

  it("--steps: first where state lives (Redis, no JWT yet), then how a user is recognised (JWT)", () => {
    const { status, stdout } = run("--steps");
    const [before, step2] = stdout.split("# Step 2 of 2");
    const step1 = before!.split("# Step 1 of 2")[1]!;
    const added = (step: string) => step.split("\n").filter((line) => line.startsWith("+"));
    expect(added(step1).join("\n")).toMatch(/RedisCartRepository/);
    expect(added(step1).join("\n")).toMatch(/connect-redis/);
    expect(added(step1).join("\n")).toMatch(/SharedChatState/);
    expect(added(step1).join("\n")).toMatch(/PgAccountRepository/);
    expect(added(step1).join("\n")).toMatch(/S3AvatarRepository/);
    expect(added(step1).join("\n")).not.toMatch(/jwt|Token/i);
    expect(added(step2!).join("\n")).toMatch(/signToken/);
    expect(added(step2!).join("\n")).not.toMatch(/MemoryStore|InMemory/);
    expect(status).toBe(0);
  });
});
