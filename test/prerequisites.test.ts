// A newcomer's machine without haproxy and Chromium: `pnpm test` names what is missing, skips the
// tests that need it (each by name, with the reason) and passes the rest; with CI=true the same
// machine fails the run, so CI can never go green by skipping. Runs Jest itself, on one test file,
// with a PATH that holds redis-server and nothing else.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

jest.setTimeout(60_000);

const ROOT = join(__dirname, "..");
const JEST = join(ROOT, "node_modules", "jest", "bin", "jest.js");

async function jestOnAFreshMachine(ci: boolean): Promise<{ code: number | null; output: string }> {
  const path = await mkdtemp(join(tmpdir(), "fresh-machine-"));
  const redis = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  await symlink(redis, join(path, "redis-server"));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path, CHROMIUM_PATH: join(path, "chromium"), REDIS_URL: "" };
  if (ci) env.CI = "true";
  else delete env.CI;
  const child = spawn(process.execPath, [JEST, "tools/compare/test/stickiness-switch.test.ts"], { cwd: ROOT, env });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output };
}

describe("pnpm test on a machine without haproxy and Chromium", () => {
  it("says so in one line, skips what needs them by name and with the reason, and passes the rest", async () => {
    const { code, output } = await jestOnAFreshMachine(false);
    expect(output).toContain(
      "pnpm test: this machine lacks haproxy (haproxy is not on PATH), chromium (no Chromium at",
    );
    expect(output).toMatch(
      /Skipped \(3\):\n {2}- the HAProxy balancer, started sticky \[skipped: haproxy is not on PATH; pnpm preflight says how to install it\] keeps a pinned client/,
    );
    expect(output).toMatch(/Tests: +3 skipped, 3 passed, 6 total/);
    expect(code).toBe(0);
  });

  it("fails instead with CI=true, naming what is missing", async () => {
    const { code, output } = await jestOnAFreshMachine(true);
    expect(output).toContain("CI=true, and this machine lacks haproxy (haproxy is not on PATH)");
    expect(code).not.toBe(0);
  });
});
