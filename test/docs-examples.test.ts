// The shell examples the docs mark `<!-- example: runs in test/docs-examples.test.ts -->` run here,
// as a reader types them, in the order the pages give them: configuration's shells (`pnpm stores`,
// a stateful instance, a stateless instance on those stores, alice's cart on each), then the
// avatar's and the kitchen's, against those instances. Only the ports (free ones for 3001 and 3002)
// and /tmp (a folder of the test's own) are changed, and `pnpm build` is left out: the test run
// has built everything, and other tests read what it built. And every shell example of every page
// says either that a test runs it, or what of the reader's own it needs.
import { freePort, waitUntil } from "@cart/local-infra";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PAGES, pageName, ROOT, shellExamples, type ShellExample } from "./support/pages";

const THIS_FILE = "test/docs-examples.test.ts";
const page = (name: string) => join(ROOT, name);
const ran = (name: string) => shellExamples(page(name)).filter(({ mark }) => mark && "runsIn" in mark);

describe("the docs' shell examples", () => {
  it.each(PAGES.map(pageName))("%s: each says that a test runs it, or what it needs", (name) => {
    const unmarked = shellExamples(page(name))
      .filter(({ mark }) => !mark || ("runsIn" in mark && !mark.runsIn.every((file) => existsSync(join(ROOT, file)))))
      .map(({ line, code }) => `line ${line}: ${code.split("\n")[0]}`);
    expect(unmarked).toEqual([]);
  });

  it("the examples this file runs are the ones it knows", () => {
    const marked = PAGES.flatMap((p) => shellExamples(p))
      .filter(({ mark }) => mark && "runsIn" in mark && mark.runsIn.includes(THIS_FILE))
      .map(({ page: p, line }) => `${pageName(p)}:${line}`);
    const known = [...BY_HAND, ...AFTER].map(({ page: p, line }) => `${pageName(p)}:${line}`);
    expect(marked.sort()).toEqual(known.sort());
  });
});

const BY_HAND = ran("docs/configuration.md");
const AFTER = [...ran("docs/stories/avatars.md"), ...ran("docs/stories/kitchen.md")];

describe("running one instance of each app by hand (docs/configuration.md), and the stories' curl lines", () => {
  const tmp = mkdtempSync(join(tmpdir(), "docs-examples-"));
  const background: ChildProcess[] = [];
  let ports: [string, string];
  // A reader's shell: none of the test run's own stores or settings.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(REDIS_URL|DATABASE_URL|S3_\w+|NODE_ENV|JEST_\w+)$/.test(name)),
  );
  const asHere = ({ code }: ShellExample) =>
    code
      .replace(/^pnpm build\n/m, "")
      .replaceAll("/tmp/", `${tmp}/`)
      .replaceAll("3001", ports[0])
      .replaceAll("3002", ports[1]);
  const run = (example: ShellExample) => {
    const done = spawnSync("bash", ["-euo", "pipefail", "-c", asHere(example)], { cwd: ROOT, env, encoding: "utf8" });
    if (done.status !== 0)
      throw new Error(`${pageName(example.page)}:${example.line} exited ${done.status}\n${done.stderr}`);
    return done.stdout;
  };
  const start = (example: ShellExample) => {
    // A process group of its own, so that Ctrl-C reaches everything the shell started.
    const shell = spawn("bash", ["-euo", "pipefail", "-c", asHere(example)], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: "ignore",
    });
    background.push(shell);
    return shell;
  };
  const answers = async (port: string, path: string) =>
    (await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined))?.ok === true;

  beforeAll(async () => {
    expect(BY_HAND.map(({ code }) => code.split("\n")[0])).toEqual([
      "# shell 1: the stores, until Ctrl-C",
      "# shell 2: a stateful instance on port 3001, until Ctrl-C",
      "# shell 3: a stateless instance on port 3002, on the stores of shell 1, until Ctrl-C",
      "# shell 4: alice logs in and puts a pizza in her cart, on each app",
    ]);
    ports = [String(await freePort()), String(await freePort())];
    start(BY_HAND[0]!);
    await waitUntil(async () => existsSync(join(tmp, "stores.env")), 60_000, "pnpm stores wrote no export file");
    start(BY_HAND[1]!);
    start(BY_HAND[2]!);
    const bothAnswer = async () => (await answers(ports[0], "/healthz")) && (await answers(ports[1], "/readyz"));
    await waitUntil(bothAnswer, 120_000, "the instances started by hand did not answer");
  }, 200_000);

  afterAll(async () => {
    // Ctrl-C in each shell: the instances and the stores stop, and pnpm stores removes its file.
    await Promise.all(background.map((shell) => interrupt(shell, 20_000)));
    const leftBehind = existsSync(join(tmp, "stores.env"));
    rmSync(tmp, { recursive: true, force: true });
    expect(leftBehind).toBe(false);
  }, 30_000);

  it("alice logs in and puts a pizza in her cart, on each app", () => {
    const out = run(BY_HAND[3]!);
    expect(out.match(/"user":\{"id":"alice"/g)).toHaveLength(2);
    expect(out.match(/"items":\[\{"sku":"pepperoni-pizza".*?"quantity":1/g)).toHaveLength(2);
  });

  it("her avatar is uploaded to each app, and read back as a PNG", () => {
    const out = run(AFTER[0]!);
    expect(out.match(/\{"avatar":\{"url":"\/users\/alice\/avatar","contentType":"image\/png"/g)).toHaveLength(2);
    expect(out.match(/^content-type: image\/png/gim)).toHaveLength(2);
    expect(out).toMatch(/x-served-by: stateful-1/i);
    expect(out).toMatch(/x-served-by: stateless-1/i);
  });

  it("her order is cooked on each app, and she sees it ready", () => {
    const out = run(AFTER[1]!);
    expect(out).toMatch(/"status":"ready".*"preparedBy":"stateful-1"|"preparedBy":"stateful-1".*"status":"ready"/);
    expect(out.match(/"status":"ready"/g)!.length).toBeGreaterThanOrEqual(2);
    expect(out).toMatch(/"preparedBy":"stateless-1"/);
  }, 30_000);
});

/** Ctrl-C to a shell's process group; SIGKILL to what is left of it after `graceMs`. */
async function interrupt(shell: ChildProcess, graceMs: number): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-shell.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  const exited = new Promise((resolve) => (shell.exitCode !== null ? resolve(undefined) : shell.once("exit", resolve)));
  signal("SIGINT");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
