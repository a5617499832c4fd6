// `pnpm preflight`, a newcomer's first command: what this machine has and lacks (with the line that
// installs it), whether it is big enough for pnpm compare, and what to expect when all is well.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { command, startCli } from "./run-cli";

const preflight = (env: NodeJS.ProcessEnv = {}) => startCli([], env, command("preflight")).done;

describe("pnpm preflight", () => {
  it("on a machine with everything: each program found, the machine's cores and memory, what pnpm compare will say; exit 0", async () => {
    const { code, stdout } = await preflight();
    expect(stdout).toMatch(/^ok +redis-server \(required\) +\S/m);
    expect(stdout).toMatch(
      /^(ok|SMALL) +this machine +\d+ core\(s\), [\d.]+ GiB free; pnpm compare needs about 2 GiB/m,
    );
    expect(stdout).toContain('"fail (as expected)" on the stateful side is the lesson');
    expect(stdout).toContain('"Every outcome matched its expectation." and exits 0');
    expect(code).toBe(0);
  });

  it("without redis-server: names it with the line that installs it, and exits 2", async () => {
    // Node itself stays reachable: the check runs `node`, and PATH only has to lack redis-server.
    const emptyPath = await mkdtemp(join(tmpdir(), "no-redis-"));
    const { code, stdout } = await preflight({ PATH: emptyPath });
    expect(stdout).toMatch(/^MISSING +redis-server \(required\)/m);
    expect(stdout).toContain("install: apt-get install redis-server");
    expect(stdout).toContain("run pnpm preflight again");
    expect(code).toBe(2);
  });
});
