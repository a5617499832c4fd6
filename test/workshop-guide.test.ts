// The workshop guide cannot rot: every command it (and each part's page) tells people to type is
// run, when that is safe here (the diff, the lab's copy and its comparison with the answer), or
// else asked for its --help, which must know every flag the guide uses; and every code snippet a
// part's page tells attendees to write compiles against the lab as it stands after that part.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const ROOT = join(__dirname, "..");
const DOCS = join(ROOT, "docs");
const PAGES = [
  join(DOCS, "workshop.md"),
  ...readdirSync(join(DOCS, "parts"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(DOCS, "parts", name)),
];
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
  .scripts;
const ATTEMPTS = join(ROOT, "apps", "lab", "attempts");

// The parts' labs share every file but their own: the compiler reads the libraries' types once, for all.
const sharedFiles = new Map<string, ts.SourceFile | undefined>();
const host = ts.createCompilerHost({});
const readOnce: ts.CompilerHost["getSourceFile"] = (fileName, languageVersion, ...rest) => {
  if (fileName.startsWith(ATTEMPTS)) return host.getSourceFile(fileName, languageVersion, ...rest);
  const key = `${JSON.stringify(languageVersion)} ${fileName}`;
  if (!sharedFiles.has(key)) sharedFiles.set(key, host.getSourceFile(fileName, languageVersion, ...rest));
  return sharedFiles.get(key);
};

/** What `tsc -p <config> --noEmit` reports, as lines. */
function typeErrors(config: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    config,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  )!;
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    // What tsc says of the configuration itself (no inputs, say): an empty program compiles.
    configFileParsingDiagnostics: parsed.errors,
    host: { ...host, getSourceFile: readOnce },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.formatDiagnostic(diagnostic, { ...host, getNewLine: () => "\n" }).trim());
}

/** The fenced blocks of a language in a page. */
const blocks = (page: string, language: string) =>
  [...readFileSync(page, "utf8").matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map(
    ([, body]) => body!,
  );

/** Every `pnpm …` command in the guide: lines of its sh blocks and inline code, placeholders filled in. */
function guideCommands(): string[] {
  const commands = new Set<string>();
  for (const page of PAGES) {
    const text = readFileSync(page, "utf8");
    const lines = [
      ...blocks(page, "sh").flatMap((body) => body.split("\n")),
      ...[...text.matchAll(/`(pnpm [^`]+)`/g)].map(([, command]) => command!),
    ];
    for (const line of lines) {
      const command = line.replace(/\s+#.*$/, "").trim();
      if (command.startsWith("pnpm ")) commands.add(command.replace(/\bN(-1)?\b|<n>/g, "1"));
    }
  }
  return [...commands].sort();
}

/** A package.json script as `node <file>`, if it ends in one. */
const nodeFile = (script: string) => /node (\S+\.m?js)(?!.*node )/.exec(script)?.[1];
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
const helps = new Map<string, ReturnType<typeof run>>();
/** A command's --help, asked once however many of the guide's commands use it. */
const helpOf = (file: string) => helps.get(file) ?? helps.set(file, run([join(ROOT, file), "--help"])).get(file)!;

describe("the workshop guide's commands", () => {
  const commands = guideCommands();

  it("are found: the guide names the commands the workshop needs", () => {
    for (const needed of ["pnpm lab:reset", "pnpm lab:check --part 1", "pnpm diff:apps --part 1", "pnpm workshop"]) {
      expect(commands).toContain(needed);
    }
  });

  it.each(commands)(
    "%s: a script of ours that runs, or whose --help knows every flag used",
    (command) => {
      const [, script, ...args] = command.split(/\s+/);
      if (script === "install") return; // pnpm's own
      expect(Object.keys(SCRIPTS)).toContain(script);
      const file = nodeFile(SCRIPTS[script!]!);
      if (!file) return; // run by tsx, a test's tool: its presence is the check
      const attempt = join(ATTEMPTS, `guide-${process.pid}`);
      const safe =
        script === "diff:apps" ||
        script === "lab:reset" ||
        (script === "lab:check" && (args.includes("--diff") || args.includes("--help")));
      if (safe) {
        const dir = script === "diff:apps" ? [] : ["--dir", attempt];
        if (script === "lab:check") run([join(ROOT, "scripts", "lab.mjs"), "--dir", attempt, "--force"]);
        const result = run([join(ROOT, file), ...args, ...dir, ...(script === "lab:reset" ? ["--force"] : [])]);
        rmSync(attempt, { recursive: true, force: true });
        expect({ command, status: result.status, stderr: result.stderr }).toEqual({ command, status: 0, stderr: "" });
        return;
      }
      const help = helpOf(file);
      expect({ command, status: help.status }).toEqual({ command, status: 0 });
      for (const flag of args.filter((arg) => arg.startsWith("--"))) {
        expect({ command, flag, known: help.stdout.includes(flag.split("=")[0]!) }).toEqual({
          command,
          flag,
          known: true,
        });
      }
    },
    60_000,
  );
});

describe("the code the parts' pages tell attendees to write", () => {
  const snippets = PAGES.flatMap((page) => {
    const part = Number(/parts\/(\d+)-/.exec(page)?.[1] ?? 7);
    return blocks(page, "ts").map((code, index) => ({ page: page.slice(ROOT.length + 1), part, index, code }));
  });

  it("is there: a snippet for most parts", () => {
    expect(new Set(snippets.map(({ part }) => part)).size).toBeGreaterThanOrEqual(5);
  });

  it.each([...new Set(snippets.map(({ part }) => part))])(
    "compiles against the lab's real imports after part %i",
    (part) => {
      const lab = join(ATTEMPTS, `guide-snippets-${process.pid}-${part}`);
      try {
        const made = run([join(ROOT, "scripts", "lab.mjs"), "--solved", "--part", String(part), "--dir", lab]);
        expect(made.status).toBe(0);
        for (const { index, code } of snippets.filter((snippet) => snippet.part === part)) {
          writeFileSync(join(lab, "src", `guide-snippet-${index}.ts`), code);
        }
        expect(typeErrors(join(lab, "tsconfig.build.json"))).toEqual([]);
      } finally {
        rmSync(lab, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
