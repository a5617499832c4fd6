// `pnpm compare --lb haproxy`: the same journeys through real haproxy processes, configured from
// the one source that also renders the Docker Compose stack's configuration. (The whole matrix
// through HAProxy is in verdicts.test.ts, beside the built-in balancer's.)
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeHaproxyFiles } from "../src/balancer/compose-haproxy";
import { renderHaproxyConfig } from "../src/balancer/haproxy-config";
import { describeNeeding } from "./prerequisites";
import { runCli } from "./run-cli";

jest.setTimeout(120_000);

const root = join(__dirname, "..", "..", "..");

/** `haproxy -c`: valid, and not a single warning (HAProxy only warns about e.g. missing timeouts). */
function expectValidWithoutWarnings(file: string): void {
  const check = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8" });
  expect({ file, status: check.status, warnings: check.stderr.match(/^\[(WARNING|ALERT)\].*$/gm) ?? [] }).toEqual({
    file,
    status: 0,
    warnings: [],
  });
}

describe("the HAProxy configurations", () => {
  it.each(composeHaproxyFiles())(
    "$path is up to date with its source (pnpm infra:render)",
    async ({ path, content }) => {
      expect(await readFile(join(root, path), "utf8")).toBe(content);
    },
  );
});

describeNeeding("haproxy", "the HAProxy configurations, checked by haproxy -c", () => {
  it.each(composeHaproxyFiles())("$path passes haproxy -c without a warning", ({ path }) => {
    expectValidWithoutWarnings(join(root, path));
  });

  it.each(["sticky", "round-robin"] as const)(
    "the suite's %s configuration (local servers, a scale-out slot, runtime API) passes haproxy -c without a warning",
    async (policy) => {
      const dir = await mkdtemp(join(tmpdir(), "haproxy-config-"));
      const file = join(dir, "haproxy.cfg");
      const config = renderHaproxyConfig({
        name: "stateful",
        policy,
        bind: "127.0.0.1:18080",
        statsBind: "127.0.0.1:18404",
        servers: [
          { id: "stateful-1", address: "127.0.0.1:13001" },
          { id: "stateful-2", address: "127.0.0.1:1", disabled: true },
        ],
        adminSocket: join(dir, "admin.sock"),
      });
      await writeFile(file, config);
      expectValidWithoutWarnings(file);
      expect(config.includes("cookie SERVERID insert indirect nocache")).toBe(policy === "sticky");
    },
  );
});

describe("pnpm compare --lb haproxy without haproxy on PATH", () => {
  it("says in one line how to fix it, and exits 2 before starting anything", async () => {
    const pathWithRedisOnly = await mkdtemp(join(tmpdir(), "no-haproxy-"));
    const redis = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
    await symlink(redis, join(pathWithRedisOnly, "redis-server"));
    const { code, stdout } = await runCli(["--lb", "haproxy", "--journey", "happy-path", "--trace"], {
      PATH: pathWithRedisOnly,
    });
    expect(code).toBe(2);
    expect(stdout).toContain("haproxy is not on PATH: install HAProxy (Debian/Ubuntu: apt-get install haproxy");
    expect(stdout).not.toContain("started");
  });
});
