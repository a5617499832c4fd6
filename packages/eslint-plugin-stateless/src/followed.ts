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
import { importedFrom, required, variableOf } from "./imported-from";
import { resolveImport } from "./module-files";

export interface Followed {
  /** The class or function, as the code names it. */
  readonly name: string;
  readonly file: string;
  readonly findings: readonly CollectedFinding[];
  /** Whether it puts an app or a server together (then its own file reports what it makes). */
  readonly assembles: boolean;
}

type Declaration = ESTree.Node & { range: [number, number] };

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
          languageOptions: context.languageOptions,
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
    const found = exportedDeclaration(context, file, imported.name, new Set());
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

function isDeclaration(node: ESTree.Node | null | undefined): node is Declaration {
  return (
    node?.type === "ClassDeclaration" ||
    node?.type === "ClassExpression" ||
    node?.type === "FunctionDeclaration" ||
    node?.type === "FunctionExpression" ||
    node?.type === "ArrowFunctionExpression"
  );
}

const programs = new Map<string, { readonly mtimeMs: number; readonly program: ESTree.Program }>();

function programOf(context: Rule.RuleContext, file: string): ESTree.Program | undefined {
  reading(file);
  const mtimeMs = statSync(file).mtimeMs;
  const cached = programs.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.program;
  const parser = context.languageOptions.parser as
    | {
        parseForESLint?: (text: string, options: object) => { ast: ESTree.Program };
        parse?: (text: string, options: object) => ESTree.Program;
      }
    | undefined;
  const options = {
    ...context.languageOptions.parserOptions,
    ecmaVersion: "latest",
    sourceType: "module",
    range: true,
    loc: true,
    filePath: file,
  };
  try {
    // Without the byte order mark, as ESLint reads a file: the ranges are then the same as its.
    const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    const program = parser?.parseForESLint ? parser.parseForESLint(text, options).ast : parser?.parse?.(text, options);
    if (program) programs.set(file, { mtimeMs, program });
    return program;
  } catch {
    // A module the parser cannot read is not followed: the audit reports the files it reads.
    return undefined;
  }
}

/** The declaration `file` exports as `name`, through its re-exports (`export { x } from`, `export *`). */
function exportedDeclaration(
  context: Rule.RuleContext,
  file: string,
  name: string,
  seen: Set<string>,
): { file: string; node: Declaration } | undefined {
  if (seen.has(`${file}#${name}`)) return undefined;
  seen.add(`${file}#${name}`);
  const program = programOf(context, file);
  if (!program) return undefined;
  const local = (localName: string) => localDeclaration(context, file, program, localName, seen);
  for (const statement of program.body) {
    if (statement.type === "ExportDefaultDeclaration" && name === "default") {
      const declaration = statement.declaration as ESTree.Node;
      if (isDeclaration(declaration)) return { file, node: declaration };
      return declaration.type === "Identifier" ? local(declaration.name) : undefined;
    }
    if (statement.type === "ExportNamedDeclaration") {
      const declared = statement.declaration ? declaredAs(statement.declaration, name) : undefined;
      if (declared) return { file, node: declared };
      for (const specifier of statement.specifiers) {
        const exported = specifier.exported.type === "Identifier" ? specifier.exported.name : specifier.exported.value;
        if (exported !== name) continue;
        const localName = specifier.local.type === "Identifier" ? specifier.local.name : String(specifier.local.value);
        if (!statement.source) return local(localName);
        const from = resolveImport(String(statement.source.value), file);
        return from ? exportedDeclaration(context, from, localName, seen) : undefined;
      }
    }
    const commonJs = commonJsExport(statement, name);
    if (commonJs) return isDeclaration(commonJs) ? { file, node: commonJs } : local(commonJs.name);
    if (statement.type === "ExportAllDeclaration" && !statement.exported) {
      const from = resolveImport(String(statement.source.value), file);
      const found = from && exportedDeclaration(context, from, name, seen);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * What a CommonJS module exports as `name` ("default": all of `module.exports`): `module.exports =
 * X`, `module.exports = { name, other: y }`, `exports.name = …`, `module.exports.name = …`.
 */
function commonJsExport(statement: ESTree.Node, name: string): Declaration | ESTree.Identifier | undefined {
  if (statement.type !== "ExpressionStatement" || statement.expression.type !== "AssignmentExpression")
    return undefined;
  const { left, right } = statement.expression;
  const exportsObject = (node: ESTree.Node) =>
    (node.type === "Identifier" && node.name === "exports") ||
    (node.type === "MemberExpression" &&
      node.object.type === "Identifier" &&
      node.object.name === "module" &&
      node.property.type === "Identifier" &&
      node.property.name === "exports");
  const value = (node: ESTree.Node) => (isDeclaration(node) ? node : node.type === "Identifier" ? node : undefined);
  if (exportsObject(left)) {
    if (name === "default") return value(right);
    if (right.type !== "ObjectExpression") return undefined;
    for (const property of right.properties)
      if (
        property.type === "Property" &&
        !property.computed &&
        property.key.type === "Identifier" &&
        property.key.name === name
      )
        return value(property.value as ESTree.Node);
    return undefined;
  }
  if (
    left.type === "MemberExpression" &&
    !left.computed &&
    left.property.type === "Identifier" &&
    exportsObject(left.object)
  )
    return left.property.name === name ? value(right) : undefined;
  return undefined;
}

/** A name declared at the top of `program`: a class, a function, a const holding one, or an import of one. */
function localDeclaration(
  context: Rule.RuleContext,
  file: string,
  program: ESTree.Program,
  name: string,
  seen: Set<string>,
): { file: string; node: Declaration } | undefined {
  for (const statement of program.body) {
    const declaration =
      statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration"
        ? (statement.declaration as ESTree.Node | null)
        : statement;
    const declared = declaration && declaredAs(declaration, name);
    if (declared) return { file, node: declared };
    if (statement.type === "VariableDeclaration")
      for (const declarator of statement.declarations) {
        // A CommonJS module's own imports: `const { CartService } = require("./cart-service")`.
        if (declarator.id.type === "Identifier" && declarator.id.name !== name) continue;
        const imported = required(declarator, name);
        const from = imported && resolveImport(imported.module, file);
        if (from) return exportedDeclaration(context, from, imported.name, seen);
      }
    if (statement.type !== "ImportDeclaration") continue;
    for (const specifier of statement.specifiers) {
      if (specifier.local.name !== name || specifier.type === "ImportNamespaceSpecifier") continue;
      const from = resolveImport(String(statement.source.value), file);
      const exported =
        specifier.type === "ImportDefaultSpecifier"
          ? "default"
          : specifier.imported.type === "Identifier"
            ? specifier.imported.name
            : String(specifier.imported.value);
      return from ? exportedDeclaration(context, from, exported, seen) : undefined;
    }
  }
  return undefined;
}

/** The class or function `statement` declares as `name`, if it does. */
function declaredAs(statement: ESTree.Node, name: string): Declaration | undefined {
  if (
    (statement.type === "ClassDeclaration" || statement.type === "FunctionDeclaration") &&
    statement.id?.name === name
  )
    return statement as Declaration;
  if (statement.type !== "VariableDeclaration") return undefined;
  for (const declarator of statement.declarations)
    if (declarator.id.type === "Identifier" && declarator.id.name === name && isDeclaration(declarator.init))
      return declarator.init;
  return undefined;
}
