// Following state out of the file: when an app makes an object once (`new InMemoryCartRepository()`)
// or calls a function while it puts itself together (`memorySessions()`), the state that object
// or that function keeps is the app's, wherever it is written; and so is what a function a
// request calls (`addToCart(…)`) writes in its own module. The audit finds the class or the
// function (through the imports, into the workspace's own packages), reads its module with the
// same rules, told which declaration the app uses and how (audit-settings.ts), and hands back what
// they find because of it, annotated places included.
import { Linter, type Rule } from "eslint";
import type * as ESTree from "estree";
import { readFileSync, statSync } from "node:fs";
import { parse as parsePath } from "node:path";
import { auditRoot, collecting, type CollectedFinding, type Followed as Use } from "./audit-settings";
import { importedFrom, variableOf } from "./imported-from";
import { exportedDeclaration, isDeclaration, type Declaration } from "./exported-declarations";
import { resolveImport } from "./module-files";
import { rememberingParser } from "./remembered-parses";

export interface Followed {
  /** The class or function, as the code names it. */
  readonly name: string;
  readonly file: string;
  readonly findings: readonly CollectedFinding[];
  /** Whether it puts an app or a server together (then its own file reports what it makes). */
  readonly assembles: boolean;
}

/** The audit's rules, given by the plugin (they use this module: it cannot import them). */
let auditRules: Record<string, Rule.RuleModule> = {};
export function followWithRules(rules: Record<string, Rule.RuleModule>): void {
  auditRules = rules;
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
/** How deep the audit follows objects made by objects made once. */
const MAX_DEPTH = 8;

interface Cached {
  readonly findings: readonly CollectedFinding[];
  readonly assembles: boolean;
  /** Every file the result was read from, with its modification time then. */
  readonly read: ReadonlyMap<string, number>;
}
/** Each followed declaration's result, while none of the files it was read from has changed. */
const cache = new Map<string, Cached>();
/**
 * The results that are not cached, kept while the file that started the follow is linted (every
 * rule follows the same things): those a cycle cut short, with the declaration whose reading the
 * cycle went back to, and those read from the linted file's own text (an editor's buffer).
 * Without them, modules that use each other would be read once per path between them and per rule.
 */
interface Kept {
  readonly followed: Followed;
  /** Cut short: by a cycle back to this declaration (undefined: to one no longer under way). */
  readonly cut?: { readonly cycleOf: string | undefined };
}
const thisLint = new WeakMap<object, Map<string, Kept>>();
/** The file whose lint started the follow under way. */
let startedBy: object | undefined;
/**
 * The declarations being read, outermost first, each with the files read for it so far, and the
 * depth of the outermost declaration a cycle under it went back to (Infinity: none; -1: one no
 * longer under way): a result is complete when no cycle under it went back above it.
 */
const underWay: { key: string; read: Map<string, number>; cycleTo: number; fromDisk: boolean }[] = [];

/** Notes that a cycle under way went back to the declaration at `depth` (-1: to none still under way). */
function cutBackTo(depth: number): void {
  underWay.forEach((frame, at) => {
    if (at > depth) frame.cycleTo = Math.min(frame.cycleTo, depth);
  });
}

/** Notes that the declarations being read depend on `file` as it is now. */
function reading(file: string): void {
  const mtimeMs = statSync(file).mtimeMs;
  for (const frame of underWay) frame.read.set(file, mtimeMs);
}

const unchanged = (read: ReadonlyMap<string, number>) =>
  [...read].every(([file, mtimeMs]) => {
    try {
      return statSync(file).mtimeMs === mtimeMs;
    } catch {
      return false;
    }
  });

/**
 * What the class or function `callee` names keeps, when the audit can read it, as the app uses
 * it: made once, or called while serving a request; undefined when it cannot read it.
 */
export function followMade(
  context: Rule.RuleContext,
  callee: ESTree.Node,
  use: Use = "made once",
): Followed | undefined {
  const target = declarationOf(context, callee);
  if (!target) return undefined;
  const { file, node, name } = target;
  // A declaration of the file being linted is read as the linter has it (an editor's buffer, not
  // kept); one of a followed module's, as it is on disk.
  const own = file === context.filename;
  const fromDisk = !own || Boolean(underWay.at(-1)?.fromDisk);
  const key = `${use}:${file}#${node.range[0]}-${node.range[1]}`;
  const cached = fromDisk ? cache.get(key) : undefined;
  if (cached && unchanged(cached.read)) {
    for (const [read] of cached.read) reading(read);
    return { name, file, findings: cached.findings, assembles: cached.assembles };
  }
  if (underWay.length === 0) startedBy = context.sourceCode;
  const kept = thisLint.get(startedBy!) ?? new Map<string, Kept>();
  thisLint.set(startedBy!, kept);
  const already = kept.get(key);
  if (already) {
    // As short as it was: cut back to its cycle's declaration if that is under way, else to the top.
    const cycleOf = already.cut?.cycleOf;
    if (already.cut) cutBackTo(cycleOf === undefined ? -1 : underWay.findIndex((frame) => frame.key === cycleOf));
    return { ...already.followed, name };
  }
  // A module that uses, in the end, what used it: cut there (what is read under the declaration
  // it went back to lacks what was cut). A chain too long is cut too, and what is read above it
  // kept as it is: state so many steps from the app is beyond what the audit follows.
  const cycle = underWay.findIndex((frame) => frame.key === key);
  if (cycle >= 0) cutBackTo(cycle);
  if (cycle >= 0 || underWay.length >= MAX_DEPTH) return undefined;
  if (fromDisk) reading(file);
  const frame = { key, read: new Map<string, number>(), cycleTo: Infinity, fromDisk };
  const depth = underWay.length;
  underWay.push(frame);
  if (fromDisk) frame.read.set(file, statSync(file).mtimeMs);
  const { settings, collected, done } = collecting(auditRoot(context), { range: node.range, use });
  try {
    const linter = new Linter({ configType: "flat", cwd: parsePath(file).root });
    linter.verify(
      fromDisk ? readFileSync(file, "utf8") : context.sourceCode.text,
      [
        {
          files: ["**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}"],
          languageOptions: { ...context.languageOptions, parser: rememberingParser(context.languageOptions.parser) },
          linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
          plugins: { stateless: { rules: auditRules } },
          settings,
          rules: Object.fromEntries(
            Object.keys(auditRules).map((rule) => [`stateless/${rule}`, ["error", { reportAnnotated: true }]]),
          ),
        },
      ],
      // A name the configuration's `files` matches: a buffer an editor or a test names "<input>" too.
      SOURCE_FILE.test(file) ? file : `${file}.js`,
    );
    // What the app's use of it shows: in the declaration, or reached from it (a Map of its module its methods write).
    const findings = collected.findings.filter(
      ({ range, madeOnceOnly }) => madeOnceOnly || (range[0] >= node.range[0] && range[1] <= node.range[1]),
    );
    const followed = { name, file, findings, assembles: collected.assembles };
    const complete = frame.cycleTo >= depth;
    if (fromDisk && complete) cache.set(key, { findings, assembles: collected.assembles, read: frame.read });
    else
      kept.set(key, {
        followed,
        cut: complete ? undefined : { cycleOf: frame.cycleTo >= 0 ? underWay[frame.cycleTo]!.key : undefined },
      });
    return followed;
  } finally {
    done();
    underWay.pop();
  }
}

/** The class or function `callee` names: declared in this file, or exported by a module the audit follows. */
function declarationOf(
  context: Rule.RuleContext,
  callee: ESTree.Node,
): { file: string; node: Declaration; name: string } | undefined {
  const imported = importedFrom(context, callee);
  if (imported) {
    const file = resolveImport(imported.module, context.filename);
    if (!file || imported.name === "*") return undefined;
    const found = exportedDeclaration(context, file, imported.name, reading);
    return found && { ...found, name: imported.name === "default" ? imported.module : imported.name };
  }
  if (callee.type !== "Identifier") return undefined;
  const definition = variableOf(context.sourceCode.getScope(callee), callee.name)?.defs[0];
  const node =
    definition?.type === "ClassName" || definition?.type === "FunctionName"
      ? (definition.node as ESTree.Node)
      : definition?.type === "Variable"
        ? (definition.node as ESTree.VariableDeclarator).init
        : undefined;
  return isDeclaration(node) ? { file: context.filename, node, name: callee.name } : undefined;
}
