// Following state out of the file: when an app makes an object once (`new InMemoryCartRepository()`)
// or calls a function while it puts itself together (`memorySessions()`), the state that object
// or that function keeps is the app's, wherever it is written. The audit finds the class or the
// function (through the imports, into the workspace's own packages), reads its module with the
// same rules, told that this declaration is made once (made-once-settings.ts), and hands back
// what they find inside it, annotated places included.
import { Linter, type Rule } from "eslint";
import type * as ESTree from "estree";
import { readFileSync, statSync } from "node:fs";
import { parse as parsePath } from "node:path";
import { importedFrom, variableOf } from "./imported-from";
import { collecting, type CollectedFinding } from "./audit-settings";
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
/** Each followed declaration's findings, while its text stays the same (a file's modification time, or the text linted). */
const followedCache = new Map<string, { readonly stamp: number | string; readonly followed: Followed }>();
const underWay = new Set<string>();

/** What the class or function `callee` names keeps, when the audit can read it; undefined when it cannot. */
export function followMade(context: Rule.RuleContext, callee: ESTree.Node): Followed | undefined {
  const target = declarationOf(context, callee);
  if (!target || underWay.size >= MAX_DEPTH) return undefined;
  const { file, node, name } = target;
  const key = `${file}#${node.range[0]}-${node.range[1]}`;
  // A declaration of the file being linted is read as the linter has it (an editor's buffer).
  const own = file === context.filename;
  const stamp = own ? context.sourceCode.text : statSync(file).mtimeMs;
  const cached = followedCache.get(key);
  if (cached?.stamp === stamp) return cached.followed;
  // A module that makes, in the end, what made it: read once.
  if (underWay.has(key)) return undefined;
  underWay.add(key);
  const { settings, collected, done } = collecting(node.range);
  try {
    const linter = new Linter({ configType: "flat", cwd: parsePath(file).root });
    linter.verify(
      own ? context.sourceCode.text : readFileSync(file, "utf8"),
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
    const inside = collected.findings.filter(({ range }) => range[0] >= node.range[0] && range[1] <= node.range[1]);
    const followed: Followed = { name, file, findings: inside, assembles: collected.assembles };
    followedCache.set(key, { stamp, followed });
    return followed;
  } finally {
    done();
    underWay.delete(key);
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
    const text = readFileSync(file, "utf8");
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
