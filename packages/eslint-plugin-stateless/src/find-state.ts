#!/usr/bin/env node
// `pnpm find-state <dir>`: the state audit over a folder, through ESLint's API with only this
// plugin's rules, grouped by kind of state, each finding at its file and line. Exit 1 on findings
// (so a CI can use it), 0 with none or with --warn-only, 2 when the audit could not be done.
import { ESLint, type Linter } from "eslint";
import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import tseslint from "typescript-eslint";
import plugin, { KIND_OF, RULES, STATE_KINDS, type RuleName, type StateKindName } from "./index";
import { collecting, type CollectedFinding } from "./audit-settings";
import { SKIPPED_FOLDERS } from "./module-files";
import { explain, type StateKind } from "./state-kinds";

const USAGE = `Usage: pnpm find-state <dir> [--warn-only] [--json]

Finds, in the JavaScript and TypeScript files under <dir>, the state a server keeps to itself,
which breaks behind a load balancer that does not pin users to servers:
${Object.values(STATE_KINDS as Record<string, StateKind>)
  .map(
    ({ title, warning }) =>
      `  - ${title.toLowerCase()}${warning ? " (a warning: fine as a cache, wrong as the only copy)" : ""}`,
  )
  .join("\n")}
What the app makes once and keeps (a repository, a service, a kit's object) is followed into the
files that keep its state, in the workspace's own packages, and reported where the app makes it.
A place that is per-server by design is left out when its line, or the line above, says why:
  // state-audit: per-server: <why>
and listed apart, as honoured.

  --warn-only  exit 0 even with findings (a report, not a gate)
  --json       the findings as JSON on stdout
Exit code: 1 when anything but a warning is found (unless --warn-only), 0 when nothing is, 2
when the audit could not be done (no such folder, no file to read, a file it could not parse).`;

export interface Finding {
  readonly kind: StateKindName;
  readonly rule: RuleName;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The place, in a few words. */
  readonly what: string;
}

export interface Audit {
  readonly files: number;
  readonly findings: Finding[];
  /** Places annotated as per-server by design, with the reason each gives. */
  readonly perServer: (Finding & { readonly reason: string })[];
  /** Files that could not be parsed, and why. */
  readonly unreadable: { readonly file: string; readonly message: string }[];
}

/** The rule that finds each kind. */
const RULE_OF = Object.fromEntries(Object.entries(KIND_OF).map(([rule, kind]) => [kind, rule])) as Record<
  StateKindName,
  RuleName
>;

export async function findState(dir: string): Promise<Audit> {
  const { settings, collected, done } = collecting(dir);
  const config: Linter.Config[] = [
    // The app's code, not its tests: a test's helpers keep what they saw on purpose.
    { ignores: [...SKIPPED_FOLDERS.map((folder) => `**/${folder}/**`), "**/*.{test,spec}.*"] },
    {
      files: ["**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}"],
      languageOptions: { parser: tseslint.parser, sourceType: "module" },
      // An eslint-disable comment does not hide state from the audit: only the annotation does.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      plugins: { stateless: plugin },
      settings,
      rules: Object.fromEntries(
        Object.keys(RULES).map((name) => [`stateless/${name}`, ["error", { reportAnnotated: true }]]),
      ),
    },
  ];
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: config,
    errorOnUnmatchedPattern: false,
  });
  try {
    const results = await eslint.lintFiles(["."]);
    const audit: Audit = { files: results.length, findings: [], perServer: [], unreadable: [] };
    for (const result of results)
      for (const message of result.messages)
        if (message.fatal) audit.unreadable.push({ file: relative(dir, result.filePath), message: message.message });
    // The rules' findings as data (the messages' words are for an editor), in the order ESLint reports.
    const byPlace = (a: CollectedFinding, b: CollectedFinding) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
    for (const { kind, what, file, line, column, reason } of [...collected.findings].sort(byPlace)) {
      const place = { kind, rule: RULE_OF[kind], file: relative(dir, file), line, column, what };
      if (reason === undefined) audit.findings.push(place);
      else audit.perServer.push({ ...place, reason });
    }
    return audit;
  } finally {
    done();
  }
}

/**
 * A finding in a few words, the same wherever it is found: its kind, then the chain of what keeps
 * it (`collections InMemoryAccountRepository → \`wallets\``), without places or lines.
 */
export function findingLabel({ kind, what }: Pick<Finding, "kind" | "what">): string {
  return `${kind} ${what
    .split(" → ")
    .map((step) => step.split(" ")[0])
    .join(" → ")}`;
}

/** The findings that fail the audit: all but warnings. */
const failing = (audit: Audit) => audit.findings.filter(({ kind }) => !(STATE_KINDS[kind] as StateKind).warning);

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The report, grouped by kind: each kind's places, then once what breaks and the fix. */
export function describeAudit(audit: Audit, dir: string): string {
  const lines = [`find-state: ${dir} (${count(audit.files, "file")} read)`, ""];
  for (const [kind, { title, warning }] of Object.entries(STATE_KINDS) as [StateKindName, StateKind][]) {
    const found = audit.findings.filter((finding) => finding.kind === kind);
    if (found.length === 0) continue;
    lines.push(`${title} (${found.length}${warning ? ", warnings" : ""})`);
    for (const { file, line, column, what } of found) lines.push(`  ${file}:${line}:${column}  ${what}`);
    lines.push(`  What breaks: ${explain(kind)}`, "");
  }
  if (audit.perServer.length > 0) {
    lines.push(`Per-server by design, annotated (${audit.perServer.length})`);
    for (const { file, line, column, what, reason } of audit.perServer)
      lines.push(`  ${file}:${line}:${column}  ${what}: ${reason}`);
    lines.push("");
  }
  for (const { file, message } of audit.unreadable) lines.push(`could not read ${file}: ${message}`);
  const honoured = `${count(audit.perServer.length, "annotated per-server place")} honoured`;
  const found = failing(audit).length;
  const warnings = audit.findings.length - found;
  const warned = warnings > 0 ? `, and ${count(warnings, "cache")} of user data to check` : "";
  lines.push(
    found === 0
      ? `No state found that a server keeps to itself (${honoured}${warned}).`
      : `${count(found, "place")} keep${found === 1 ? "s" : ""} state in one server (${honoured}${warned}).`,
  );
  return lines.join("\n");
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { "warn-only": { type: "boolean" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    console.error(`find-state: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`find-state: name one folder to audit\n${USAGE}`);
    return 2;
  }
  // `pnpm find-state` runs from the workspace's root: a relative folder is the caller's (INIT_CWD).
  const from = process.env.npm_lifecycle_event === "find-state" && process.env.INIT_CWD;
  const dir = resolve(from || process.cwd(), positionals[0]!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`find-state: ${positionals[0]} is not a folder`);
    return 2;
  }
  const audit = await findState(dir);
  console.log(values.json ? JSON.stringify(audit, null, 2) : describeAudit(audit, positionals[0]!));
  // An audit that read nothing, or not everything, proves nothing: not a pass.
  if (audit.files === 0) console.error(`find-state: no JavaScript or TypeScript file to read under ${positionals[0]}`);
  if (audit.files === 0 || audit.unreadable.length > 0) return 2;
  return failing(audit).length > 0 && !values["warn-only"] ? 1 : 0;
}

if (require.main === module)
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`find-state: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 2;
    },
  );
