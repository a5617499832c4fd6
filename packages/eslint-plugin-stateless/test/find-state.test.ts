// `pnpm find-state <dir>`: on apps written as tutorials write them (test/fixtures), every place
// that keeps state in one server, grouped by kind, and nothing on their safe twins but the place
// annotated as per-server; on our own apps what this first set of rules can see: the stateful
// app's login counters, and nothing at all in the stateless app. Its exit code gates a CI.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Audit } from "../src/find-state";

const ROOT = join(__dirname, "..", "..", "..");
const FIXTURES = join(__dirname, "fixtures");
const CLI = join(__dirname, "..", "dist", "find-state.js");
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
/** The audit as `--json` gives it (ESLint's API loads its parts with import(), which Jest's module loader does not run). */
const findState = (dir: string): Audit => JSON.parse(run(dir, "--json", "--warn-only").stdout) as Audit;

/** The line of `file` (under `dir`) that holds `text`, counted from 1. */
const lineOf = (dir: string, file: string, text: string) =>
  readFileSync(join(dir, file), "utf8")
    .split("\n")
    .findIndex((line) => line.includes(text)) + 1;

describe("find-state on tutorial-style apps", () => {
  it("finds each place that keeps state in one server, by kind and line, and honours the annotated one", () => {
    const audit = findState(FIXTURES);
    const place = (file: string, text: string) => `${file}:${lineOf(FIXTURES, file, text)}`;
    expect(audit.findings.map(({ kind, file, line }) => `${kind} ${file}:${line}`).sort()).toEqual(
      [
        `collections ${place("cart-map-app.js", "const carts = {}")}`,
        `collections ${place("cart-map-app.js", "const orders = new Map()")}`,
        `counters ${place("login-limit-app.mjs", "rateLimit({")}`,
        `files ${place("upload-app.js", "multer({ dest")}`,
        `queues ${place("job-queue-app.js", "const jobs = []")}`,
        `connections ${place("socket-chat-app.js", "const users = new Map()")}`,
        `files ${place("upload-app.js", "multer.diskStorage(")}`,
        `sessions ${place("session-cart-app.js", "app.use(session(")}`,
      ].sort(),
    );
    // The safe twin: shared stores, look-alike names, and one limiter per-server on purpose.
    expect(audit.findings.filter(({ file }) => file === "safe-app.mjs")).toEqual([]);
    // A Map built once and only read, a configuration object, a request's own Set: none of them.
    const carts = audit.findings.filter(({ file }) => file === "cart-map-app.js").map(({ what }) => what);
    expect(carts.map((what) => what.split(" ")[0])).toEqual(["`carts`", "`orders`"]);
    expect(audit.perServer).toEqual([
      expect.objectContaining({
        kind: "counters",
        file: "safe-app.mjs",
        line: lineOf(FIXTURES, "safe-app.mjs", "const cpuGuard"),
        reason: "protects this one server's CPU (whatever the others see)",
      }),
    ]);
    expect(audit.unreadable).toEqual([]);
  });

  it("prints them grouped by kind, with what breaks and the journey that shows it, and exits 1 (0 with --warn-only)", () => {
    const found = run(FIXTURES);
    expect(found.stdout).toMatch(
      /^Sessions in process memory \(1\)\n {2}session-cart-app\.js:7:\d+ {2}express-session with no store/m,
    );
    expect(found.stdout).toContain("(pnpm compare --journey brute-force)");
    expect(found.stdout).toMatch(/^Per-server by design, annotated \(1\)$/m);
    expect(found.stdout.trim()).toMatch(
      /8 places keep state in one server \(1 annotated per-server place honoured\)\.$/,
    );
    expect(found.status).toBe(1);
    expect(run(FIXTURES, "--warn-only").status).toBe(0);
  });

  it("does not pass an audit it could not do: a folder with no code, or a file it cannot parse, exit 2", () => {
    const nothing = run(join(__dirname, "..", "docs"));
    expect(nothing.stderr).toContain("find-state: no JavaScript or TypeScript file to read under");
    expect(nothing.status).toBe(2);
    const broken = mkdtempSync(join(tmpdir(), "find-state-"));
    writeFileSync(join(broken, "app.js"), "const carts = {;\n");
    const unparsed = run(broken);
    expect(unparsed.stdout).toMatch(/^could not read app\.js: /m);
    expect(unparsed.status).toBe(2);
  });

  it("refuses, in one line and exit 2, a folder that is not there or none at all", () => {
    const missing = run("no/such/folder");
    expect(missing.stderr.trim()).toBe("find-state: no/such/folder is not a folder");
    expect(missing.status).toBe(2);
    expect(run().status).toBe(2);
  });
});

describe("find-state on our two apps", () => {
  it("the stateful app: its login counters in each process (the rest of its state is in the kits it is given)", () => {
    const dir = join(ROOT, "apps", "stateful");
    const audit = findState(dir);
    expect(audit.findings.map(({ kind, file, line }) => `${kind} ${file}:${line}`)).toEqual([
      `counters src/app.ts:${lineOf(dir, "src/app.ts", "new RateLimitMemoryStore()")}`,
    ]);
  });

  it("the stateless app: nothing, and exit 0", () => {
    const clean = run("apps/stateless");
    expect(clean.stdout).toContain("No state found that a server keeps to itself");
    expect(clean.status).toBe(0);
  });
});
