// Which module a name was imported from, by ESLint's scope analysis (not by its spelling): a
// `session` that is not express-session's is not flagged, whatever it is called. Follows ES
// imports (default, named, namespace) and CommonJS `require` (whole, destructured, or one property).
import type { Rule, Scope } from "eslint";
import type * as ESTree from "estree";

export interface Imported {
  readonly module: string;
  /** "default" (an ES default import, or a whole `require`), "*" (a namespace), or the export's name. */
  readonly name: string;
}

/** Where the value `node` names came from, when it is an identifier bound by an import or a require. */
export function importedFrom(context: Rule.RuleContext, node: ESTree.Node): Imported | undefined {
  if (node.type === "MemberExpression" && !node.computed && node.property.type === "Identifier") {
    // `session.MemoryStore`, `multer.diskStorage`: a member of a whole module.
    const whole = importedFrom(context, node.object);
    return whole && (whole.name === "default" || whole.name === "*")
      ? { module: whole.module, name: node.property.name }
      : undefined;
  }
  if (node.type !== "Identifier") return undefined;
  const definition = variableOf(context.sourceCode.getScope(node), node.name)?.defs[0];
  if (!definition) return undefined;
  if (definition.type === "ImportBinding") {
    const specifier = definition.node;
    const module = String((definition.parent as ESTree.ImportDeclaration).source.value);
    if (specifier.type === "ImportDefaultSpecifier") return { module, name: "default" };
    if (specifier.type === "ImportNamespaceSpecifier") return { module, name: "*" };
    const imported = specifier.imported;
    return { module, name: imported.type === "Identifier" ? imported.name : String(imported.value) };
  }
  if (definition.type === "Variable") return required(definition.node as ESTree.VariableDeclarator, node.name);
  return undefined;
}

/** `const x = require("m")`, `const { x } = require("m")`, `const x = require("m").x`: what `name` is of "m". */
export function required(declarator: ESTree.VariableDeclarator, name: string): Imported | undefined {
  const init = declarator.init;
  const module = requireOf(init);
  if (module !== undefined) {
    if (declarator.id.type === "Identifier") return { module, name: "default" };
    if (declarator.id.type === "ObjectPattern") {
      const property = declarator.id.properties.find(
        (p): p is ESTree.AssignmentProperty =>
          p.type === "Property" && p.value.type === "Identifier" && p.value.name === name,
      );
      if (property?.key.type === "Identifier") return { module, name: property.key.name };
    }
    return undefined;
  }
  if (init?.type === "MemberExpression" && !init.computed && init.property.type === "Identifier") {
    const whole = requireOf(init.object);
    if (whole !== undefined) return { module: whole, name: init.property.name };
  }
  return undefined;
}

function requireOf(node: ESTree.Node | null | undefined): string | undefined {
  if (node?.type !== "CallExpression" || node.callee.type !== "Identifier" || node.callee.name !== "require")
    return undefined;
  const [argument] = node.arguments;
  return argument?.type === "Literal" && typeof argument.value === "string" ? argument.value : undefined;
}

/** The variable `name` means at `scope`: declared there or in a scope around it. */
export function variableOf(scope: Scope.Scope | null, name: string): Scope.Variable | undefined {
  for (let at = scope; at; at = at.upper) {
    const found = at.set.get(name);
    if (found) return found;
  }
  return undefined;
}

/** Whether `imported` is one of `names` (a module's default export counts as "default") of `module`. */
export function isExport(imported: Imported | undefined, module: string, ...names: string[]): boolean {
  return imported?.module === module && names.includes(imported.name);
}

/**
 * The options a call was given, as far as this file says: written in the call, or in a variable of
 * the file initialised with an object. Undefined when they cannot be read (built elsewhere, or
 * spread from another object): a rule then does not guess.
 */
export function optionsOf(
  context: Rule.RuleContext,
  argument: ESTree.Node | undefined,
): { has(key: string): boolean } | undefined {
  if (argument === undefined) return { has: () => false };
  let object: ESTree.Node | null | undefined = argument;
  if (argument.type === "Identifier") {
    const definition = variableOf(context.sourceCode.getScope(argument), argument.name)?.defs[0];
    object = definition?.type === "Variable" ? (definition.node as ESTree.VariableDeclarator).init : undefined;
  }
  if (object?.type !== "ObjectExpression" || object.properties.some((p) => p.type === "SpreadElement"))
    return undefined;
  const keys = new Set(
    object.properties.flatMap((p) =>
      p.type === "Property" && !p.computed && p.key.type === "Identifier" ? [p.key.name] : [],
    ),
  );
  return { has: (key) => keys.has(key) };
}
