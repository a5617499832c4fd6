// `pnpm memory`, small: the report's shape and the lesson in it (no timing, no size assertions:
// RSS on a small run is mostly the runtime's own growth).
import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { command } from "./run-cli";

jest.setTimeout(60_000);

const SCRIPT = command("memory");

it("pnpm memory --logins 60: the stateful instance holds 60 sessions, the stateless one none, and memory.json says so", async () => {
  const dir = await mkdtemp(join(tmpdir(), "memory-"));
  const child = spawn(process.execPath, [SCRIPT, "--logins", "60", "--report-dir", dir], {
    env: { ...process.env, REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`pnpm memory exited ${code}:\n${output}${errors}`);
  const report = JSON.parse(await readFile(join(dir, "memory.json"), "utf8"));
  expect(report.results).toEqual([
    expect.objectContaining({ app: "stateful", logins: 60, sessionsInMemory: 60 }),
    expect.objectContaining({ app: "stateless", logins: 60, sessionsInMemory: 0 }),
  ]);
  for (const result of report.results) {
    expect(result.rssAfterMb).toBeGreaterThan(0);
    expect(typeof result.bytesPerLogin).toBe("number");
  }
  expect(output).toMatch(/stateful\s+60 sessions in memory, RSS/);
});
