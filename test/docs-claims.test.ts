// What the README and docs name must exist: each `pnpm` command (a script of ours, or pnpm's own),
// each flag given to one of our commands (its --help must list it), each journey given to
// --journey (one name each time), each file path, and each name written in code type that the
// code would have to know (an environment variable or error code in capitals, a kebab-case name
// such as a journey or a package). Generated blocks are checked by docs-render.test.ts, links by docs-links.test.ts;
// this catches what is typed by hand: a renamed flag, a journey that is gone, a moved file.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { JOURNEYS } from "../tools/compare/src/journeys";
import { PAGES, pageName, prose, ROOT } from "./support/pages";

const packageJson = (dir: string) =>
  JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")) as {
    name: string;
    scripts?: Record<string, string>;
  };
const SCRIPTS = packageJson(".").scripts!;
/** pnpm's own commands that the docs tell a reader to run (or that the Dockerfile runs). */
const PNPM_OWN = new Set(["install", "exec", "deploy", "outdated", "--filter"]);

const TRACKED = spawnSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).stdout.split("\n").filter(Boolean);
const WORKSPACES = TRACKED.filter((file) => /^(apps|packages|tools)\/[^/]+\/package\.json$/.test(file)).map((file) =>
  file.slice(0, -"/package.json".length),
);

/** Every word of the code and its configuration (not the pages themselves): what a name in the docs must be one of. */
const CODE_WORDS = new Set(
  TRACKED.filter((file) => !/\.(md|png)$/.test(file) && file !== "pnpm-lock.yaml" && !file.startsWith("test/docs-"))
    .flatMap((file) => readFileSync(join(ROOT, file), "utf8").match(/[\w@/.-]+/g) ?? [])
    .flatMap((word) => [word, ...word.split(/[/.]/)]),
);

/** Folders the tools make and git ignores (.gitignore's folder lines). */
const IGNORED = readFileSync(join(ROOT, ".gitignore"), "utf8")
  .split("\n")
  .filter((line) => /^[\w./-]+\/$/.test(line));

/** What `pnpm <script> --help` prints, for the scripts that run one of our commands. */
const helpCache = new Map<string, string | undefined>();
function helpOf(script: string): string | undefined {
  if (!helpCache.has(script)) {
    const file = /node (\S+\.m?js)(?!.*node )/.exec(SCRIPTS[script] ?? "")?.[1];
    const help = file && spawnSync(process.execPath, [join(ROOT, file), "--help"], { encoding: "utf8" });
    helpCache.set(script, help && help.status === 0 ? help.stdout : undefined);
  }
  return helpCache.get(script);
}

/** The inline code of a page's prose, and the lines of its shell examples. */
function codeOf(page: string): { spans: string[]; shellLines: string[] } {
  const text = readFileSync(page, "utf8");
  const spans = [...prose(page).matchAll(/`([^`\n]+)`/g)].map(([, span]) => span!);
  const shellLines = [...text.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)]
    .flatMap(([, body]) => body!.replace(/\\\n\s*/g, " ").split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
  return { spans, shellLines };
}

/** The `pnpm …` commands of a page: from inline code and shell lines, each cut at a pipe or `&&`. */
function pnpmCommands(page: string): string[] {
  const { spans, shellLines } = codeOf(page);
  return [...spans, ...shellLines].flatMap((code) =>
    [...code.matchAll(/(?:^|[;&|(]\s*|\b[A-Z_]+=\S+\s+)(pnpm\s[^|;&)]*)/g)].map(([, command]) => command!.trim()),
  );
}

function pnpmProblems(command: string): string[] {
  const [, first, ...args] = command.split(/\s+/) as [string, string, ...string[]];
  if (first === "--filter") {
    const [name, script] = args as [string, string];
    const workspace = WORKSPACES.find((dir) => packageJson(dir).name === name);
    if (!workspace) return [`${command}: no workspace package ${name}`];
    return packageJson(workspace).scripts?.[script] ? [] : [`${command}: ${name} has no script "${script}"`];
  }
  if (PNPM_OWN.has(first)) return [];
  if (!SCRIPTS[first]) return [`${command}: no script "${first}" in package.json`];
  const flags = args.filter((arg) => arg.startsWith("--")).map((arg) => arg.split("=")[0]!);
  if (flags.length === 0) return [];
  const help = helpOf(first);
  if (!help) return [`${command}: pnpm ${first} takes no flags of ours`];
  const problems = flags
    .filter((flag) => !new RegExp(`${flag}\\b`).test(help))
    .map((flag) => `${command}: ${flag} is not in pnpm ${first} --help`);
  // `--journey <name>`, repeatable: each must be a journey.
  args.forEach((arg, i) => {
    const name = args[i + 1];
    if (arg === "--journey" && name && !name.startsWith("<") && !(name in JOURNEYS))
      problems.push(`${command}: no journey "${name}"`);
  });
  return problems;
}

/** A path from the repository's root (or the tail of one): a tracked file or folder, or one the code writes. */
function pathProblem(path: string): string | undefined {
  const bare = path.replace(/:\d+(-\d+)?$/, "").replace(/\/$/, "");
  if (existsSync(join(ROOT, bare))) return undefined;
  // `part-N`, `<id>`, `*.ts`: a pattern of names.
  const pattern = new RegExp(
    `(^|/)${bare.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/<[^>]+>|\\\*|\bN\b/g, "[^/]+")}(/|$)`,
  );
  if (TRACKED.some((file) => pattern.test(file))) return undefined;
  // What the tools write: ignored by git (apps/lab/src), or named in the code (reports/compare.json).
  if (IGNORED.some((ignored) => `${bare}/`.startsWith(ignored))) return undefined;
  const name = bare.split("/").pop()!;
  if (/\.\w+$/.test(name) && CODE_WORDS.has(name)) return undefined;
  // An object's key (`avatars/<id>`): its fixed part is named in the code.
  const fixed = /^([^<]+\/)</.exec(bare)?.[1];
  if (fixed && CODE_WORDS.has(fixed)) return undefined;
  return `${path}: no such file or folder, and the code names none`;
}

/**
 * Names of other programs' settings that the docs recommend for production and the code does not
 * use, each with whose it is; and the instances' names, which the code makes (`${app}-${n}`).
 */
const OTHERS_NAMES = new Set([
  "min-replicas-to-write", // Redis: a primary refuses writes without enough replicas
  "proxy-read-timeout", // nginx: how long a proxied connection may stay silent
]);
/** A command line of another program, whose words are its own. */
const OTHER_PROGRAM = /^(kubectl|kind|minikube|docker|curl|git|openssl|redis-cli|apt-get|npx|node) /;
const INSTANCE_NAME = /^(stateful|stateless|lab)-\d+$/;

const looksLikePath = (span: string) =>
  /^[\w.-]+\/[\w./<>*:-]*$/.test(span) && !/^(application|image|text)\//.test(span) && !span.startsWith("@");

describe("what the docs name exists", () => {
  it.each(PAGES.map(pageName))("%s: every pnpm command and its flags", (name) => {
    expect(pnpmCommands(join(ROOT, name)).flatMap(pnpmProblems)).toEqual([]);
  });

  it.each(PAGES.map(pageName))("%s: every file path", (name) => {
    const { spans } = codeOf(join(ROOT, name));
    const problems = spans.filter(looksLikePath).flatMap((span) => pathProblem(span) ?? []);
    expect([...new Set(problems)]).toEqual([]);
  });

  it.each(PAGES.map(pageName))("%s: every variable, error code and kebab-case name is one the code knows", (name) => {
    const { spans, shellLines } = codeOf(join(ROOT, name));
    const CAPS = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g;
    // Kebab-case names in inline code only: a shell line's are mostly other programs' (kubectl port-forward).
    const KEBAB = /(?<![\w/.-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w/.-])/g;
    const names = [
      ...[...spans, ...shellLines].flatMap((code) => code.match(CAPS) ?? []),
      ...spans
        .filter((span) => !OTHER_PROGRAM.test(span))
        .flatMap((span) => span.replace(/<[^>]*>/g, "").match(KEBAB) ?? []),
    ];
    const known = (word: string) => CODE_WORDS.has(word) || OTHERS_NAMES.has(word) || INSTANCE_NAME.test(word);
    const unknown = names.filter((word) => !known(word));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it("finds what it should: a flag, a journey, a path and a code that do not exist", () => {
    expect(pnpmProblems("pnpm compare --no-such-flag")).toEqual([
      "pnpm compare --no-such-flag: --no-such-flag is not in pnpm compare --help",
    ]);
    expect(pnpmProblems("pnpm compare --journey server-crash --journey no-such-journey")).toEqual([
      'pnpm compare --journey server-crash --journey no-such-journey: no journey "no-such-journey"',
    ]);
    // One name a flag: a list is no journey.
    expect(pnpmProblems("pnpm compare --journey server-crash,happy-path")).toEqual([
      'pnpm compare --journey server-crash,happy-path: no journey "server-crash,happy-path"',
    ]);
    expect(pnpmProblems("pnpm no-such-script")).toEqual([
      'pnpm no-such-script: no script "no-such-script" in package.json',
    ]);
    expect(pathProblem("apps/stateless/src/no-such-file.ts")).toBeDefined();
    expect(pathProblem("rig/stack.ts")).toBeUndefined();
    expect(CODE_WORDS.has("NO_SUCH_ERROR_CODE")).toBe(false);
    expect(CODE_WORDS.has("STORE_UNAVAILABLE")).toBe(true);
  });
});
