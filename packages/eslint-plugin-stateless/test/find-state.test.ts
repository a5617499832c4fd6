// `pnpm find-state <dir>`: on apps written as tutorials write them (test/fixtures), every place
// that keeps state in one server, grouped by kind, and nothing on their safe twins but the place
// annotated as per-server; on our own apps every place the stateful app keeps state, followed
// from where it makes each object into the file that keeps it, and nothing in the stateless app
// but the places per-server by design, each with its reason. Its exit code gates a CI.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findingLabel, type Audit } from "../src/find-state";

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
        // State in the objects the app makes once, followed into the files that write it.
        `collections ${place("injected-app.js", "const carts = new CartService()")}`,
        `collections ${place("injected-app.js", "const logins = rememberLogins()")}`,
        `files ${place("injected-app.js", "await writeFile(")}`,
        // A cache a login fills: a warning.
        `caches ${place("cache-app.js", "const profiles = new LRUCache")}`,
        // Sessions configured in a module of their own, audited with the app: found there.
        `sessions ${place("split/lib/sessions.js", "return session(")}`,
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
      /^Sessions in process memory \(2\)\n {2}session-cart-app\.js:7:\d+ {2}express-session with no store/m,
    );
    expect(found.stdout).toContain("(pnpm compare --journey brute-force)");
    expect(found.stdout).toMatch(/^Per-server by design, annotated \(1\)$/m);
    expect(found.stdout.trim()).toMatch(
      /12 places keep state in one server \(1 annotated per-server place honoured, and 1 cache of user data to check\)\.$/,
    );
    expect(found.status).toBe(1);
    expect(run(FIXTURES, "--warn-only").status).toBe(0);
  });

  it("finds, in a folder audited alone, what the app makes from a module outside it, where the app makes it", () => {
    const dir = join(FIXTURES, "split", "routes");
    expect(findState(dir).findings.map(({ kind, file, line, what }) => `${kind} ${file}:${line} ${what}`)).toEqual([
      `sessions app.js:${lineOf(dir, "app.js", "app.use(sessions())")} sessions (../lib/sessions.js:5) → ` +
        "express-session with no store keeps every session in this process's MemoryStore",
    ]);
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
  /** A finding as the test lists it: its kind, its line in the file, and the chain of what keeps it. */
  const listed = (finding: Audit["findings"][number]) =>
    `${finding.kind} ${finding.file}:${finding.line} ${findingLabel(finding).slice(finding.kind.length + 1)}`;

  it("the stateful app: every place it keeps state, followed from where the app makes it into the file that keeps it", () => {
    const dir = join(ROOT, "apps", "stateful");
    const audit = findState(dir);
    const at = (text: string) => `src/app.ts:${lineOf(dir, "src/app.ts", text)}`;
    expect(audit.findings.map(listed).sort()).toEqual(
      [
        // The kitchen's queue: jobs waiting in this process.
        `queues ${at("new KitchenQueue()")} KitchenQueue → MemoryJobQueue → \`waiting\``,
        // Orders and store credit.
        `collections ${at("new InMemoryAccountRepository(")} InMemoryAccountRepository → \`ordersByUser\``,
        `collections ${at("new InMemoryAccountRepository(")} InMemoryAccountRepository → \`byId\``,
        `collections ${at("new InMemoryAccountRepository(")} InMemoryAccountRepository → \`wallets\``,
        `sessions ${at("memorySessions()")} memorySessions → express-session's`,
        `collections ${at("new InMemoryCartRepository(")} InMemoryCartRepository → \`carts\``,
        // Avatars, on this server's disk.
        `files ${at("new DiskFiles(")} DiskFiles → writeFile()`,
        // Login counters.
        `counters ${at("new RateLimitMemoryStore()")} express-rate-limit's`,
        // The chat: presence and typing, and its history.
        `collections ${at("new InMemoryChatState(")} InMemoryChatState → \`connected\``,
        `collections ${at("new InMemoryChatState(")} InMemoryChatState → \`typingUntil\``,
        `collections ${at("new InMemoryChatHistory()")} InMemoryChatHistory → \`conversations\``,
        `collections ${at("new InMemoryChatHistory()")} InMemoryChatHistory → \`readUpTo\``,
      ].sort(),
    );
    // The chat's registry of sockets, the kitchen's idle workers, the disk's temporary folders: per-server, and said so.
    expect(audit.perServer.map(listed).sort()).toEqual(
      [
        `collections ${at("new DiskFiles(")} DiskFiles → \`temporaryFolders\``,
        `counters ${at("startKitchen(")} startKitchen → startMemoryWorkers → \`working\``,
        `collections ${at("createShopApp({")} createShopApp → ChatConnections → \`byUser\``,
        `collections ${at("createShopApp({")} createShopApp → ChatConnections → \`whenEmpty\``,
        `queues ${at("new KitchenQueue()")} KitchenQueue → MemoryJobQueue → \`idle\``,
      ].sort(),
    );
  });

  it("the stateless app: nothing, exit 0, and each place per-server by design with the reason its annotation gives", () => {
    const dir = join(ROOT, "apps", "stateless");
    const audit = findState(dir);
    expect(audit.findings).toEqual([]);
    const at = (text: string) => `src/app.ts:${lineOf(dir, "src/app.ts", text)}`;
    expect(audit.perServer.map((found) => `${listed(found)}: ${found.reason}`).sort()).toEqual(
      [
        `collections ${at("createShopApp({")} createShopApp → ChatConnections → \`byUser\`: ` +
          "the sockets this server holds (a connection cannot move to another server)",
        `collections ${at("createShopApp({")} createShopApp → ChatConnections → \`whenEmpty\`: ` +
          "who waits, as this server stops, for its own sockets to close",
        `collections ${at("startKitchen(")} startKitchen → startJobWorkers → \`inHand\`: ` +
          "the jobs in this server's hands, each leased in PostgreSQL (the lease brings it back)",
        `counters ${at("startKitchen(")} startKitchen → startJobWorkers → \`working\`: ` +
          "how many jobs this server's own workers are working on",
        `collections ${at("new SharedChatState(")} SharedChatState → \`local\`: ` +
          "this server's sockets per user (it claims the user in Redis while it holds one)",
      ].sort(),
    );
    const clean = run("apps/stateless");
    expect(clean.stdout).toContain(
      "No state found that a server keeps to itself (5 annotated per-server places honoured).",
    );
    expect(clean.status).toBe(0);
  });

  it("our kits: state only where it is, the memory kit's sessions; the rest none, or per-server and said so", () => {
    const found = (kit: string) => {
      const audit = findState(join(ROOT, "packages", kit));
      return { findings: audit.findings.map(findingLabel), perServer: audit.perServer.map(findingLabel) };
    };
    expect(found("memory-kit")).toEqual({ findings: ["sessions express-session's"], perServer: [] });
    expect(found("cart-domain")).toEqual({ findings: [], perServer: [] });
    expect(found("http-kit")).toEqual({
      findings: [],
      perServer: ["collections ChatConnections → `byUser`", "collections ChatConnections → `whenEmpty`"],
    });
  });
});
