// Where a module declares what it exports under a name: the class or the function behind an
// import, through re-exports (`export { x } from`, `export *`), a barrel's own imports, and
// CommonJS's `module.exports`; each module parsed once while it stays the same.
import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { readFileSync, statSync } from "node:fs";
import { required } from "./imported-from";
import { resolveImport } from "./module-files";
import { rememberingParser } from "./remembered-parses";

export type Declaration = ESTree.Node & { range: [number, number] };

export function isDeclaration(node: ESTree.Node | null | undefined): node is Declaration {
  return (
    node?.type === "ClassDeclaration" ||
    node?.type === "ClassExpression" ||
    node?.type === "FunctionDeclaration" ||
    node?.type === "FunctionExpression" ||
    node?.type === "ArrowFunctionExpression"
  );
}

const programs = new Map<string, { readonly mtimeMs: number; readonly program: ESTree.Program }>();

function programOf(context: Rule.RuleContext, file: string, read: (file: string) => void): ESTree.Program | undefined {
  read(file);
  const mtimeMs = statSync(file).mtimeMs;
  const cached = programs.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.program;
  const parser = rememberingParser(context.languageOptions.parser) as
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

/**
 * The declaration `file` exports as `name`, through its re-exports (`export { x } from`,
 * `export *`); `read` is told of each file read on the way (what was found depends on it).
 */
export function exportedDeclaration(
  context: Rule.RuleContext,
  file: string,
  name: string,
  read: (file: string) => void,
  seen = new Set<string>(),
): { file: string; node: Declaration } | undefined {
  if (seen.has(`${file}#${name}`)) return undefined;
  seen.add(`${file}#${name}`);
  const program = programOf(context, file, read);
  if (!program) return undefined;
  const local = (localName: string) => localDeclaration(context, file, program, localName, read, seen);
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
        return from ? exportedDeclaration(context, from, localName, read, seen) : undefined;
      }
    }
    const commonJs = commonJsExport(statement, name);
    if (commonJs) return isDeclaration(commonJs) ? { file, node: commonJs } : local(commonJs.name);
    if (statement.type === "ExportAllDeclaration" && !statement.exported) {
      const from = resolveImport(String(statement.source.value), file);
      const found = from && exportedDeclaration(context, from, name, read, seen);
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
  read: (file: string) => void,
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
        if (from) return exportedDeclaration(context, from, imported.name, read, seen);
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
      return from ? exportedDeclaration(context, from, exported, read, seen) : undefined;
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
