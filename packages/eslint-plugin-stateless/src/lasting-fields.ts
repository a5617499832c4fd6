// The fields of an object the app makes once, a class's or an object literal's, that hold a
// collection and that its own methods change: what its one instance keeps for the app
// (lasting-collections.ts reports them beside the variables).
import type { Rule, Scope } from "eslint";
import type * as ESTree from "estree";
import { changeOf, walk } from "./collection-changes";

/** A field its methods change: where it is declared, what it holds, and where it is first written and taken from. */
export interface LastingField {
  readonly name: string;
  readonly node: ESTree.Node;
  readonly made: string;
  readonly writtenAt: number;
  readonly drainedAt: number | undefined;
  /** Lasting only because its object is made once (linting its file alone would not find it). */
  readonly madeOnceOnly: boolean;
}

/**
 * A class's fields that hold a collection (`carts = new Map()`, or `this.carts = new Map()` in its
 * constructor) and that its methods change: what its one instance keeps for the app.
 */
export function lastingFields(
  context: Rule.RuleContext,
  declared: ESTree.ClassDeclaration | ESTree.ClassExpression,
  collectionMade: (made: ESTree.Node | null | undefined) => string | undefined,
): LastingField[] {
  const fields = new Map<string, { node: ESTree.Node; made: string }>();
  const methods: ESTree.Node[] = [];
  const fieldName = (key: ESTree.Node) =>
    key.type === "Identifier" ? key.name : key.type === "PrivateIdentifier" ? `#${key.name}` : undefined;
  for (const member of declared.body.body) {
    if (member.type === "PropertyDefinition") {
      const name = fieldName(member.key);
      const made = collectionMade(member.value);
      if (name && made && !member.computed) fields.set(name, { node: member, made });
      else if (member.value?.type === "ArrowFunctionExpression" || member.value?.type === "FunctionExpression")
        methods.push(member.value);
    } else if (member.type === "MethodDefinition" && member.kind === "constructor") {
      walk(context, member.value, (node) => {
        if (node.type !== "AssignmentExpression" || node.left.type !== "MemberExpression") return;
        const { object, property } = node.left;
        const name = object.type === "ThisExpression" && !node.left.computed ? fieldName(property) : undefined;
        const made = collectionMade(node.right);
        if (name && made) fields.set(name, { node, made });
      });
    } else if (member.type === "MethodDefinition") methods.push(member.value);
  }
  const changes = new Map<string, { writtenAt?: number; takenAt?: number }>();
  for (const method of methods)
    walk(context, method, (node) => {
      if (node.type !== "MemberExpression" || node.object.type !== "ThisExpression" || node.computed) return;
      const name = fieldName(node.property);
      const change = name && fields.has(name) ? changeOf(node) : undefined;
      if (!name || !change) return;
      const seen = changes.get(name) ?? {};
      const line = node.loc!.start.line;
      seen.writtenAt ??= line;
      if (change === "takes") seen.takenAt ??= line;
      changes.set(name, seen);
    });
  return changedFields(fields, changes, (name) => name, true);
}

/** Whether the object has a method (`place() {…}`, `place: (…) => …`). */
export function hasMethods(object: ESTree.ObjectExpression): boolean {
  return object.properties.some(
    (p) =>
      p.type === "Property" && (p.value.type === "FunctionExpression" || p.value.type === "ArrowFunctionExpression"),
  );
}

/** Whether the reference hands the variable to other modules: `export { x }`, `module.exports = x`, `exports.x = x`. */
export function exported(reference: Scope.Reference): boolean {
  const parent = (reference.identifier as ESTree.Node & { parent?: ESTree.Node }).parent;
  if (parent?.type === "ExportSpecifier") return true;
  if (parent?.type === "Property" && parent.value === reference.identifier)
    return exported({ identifier: parent } as unknown as Scope.Reference) || isModuleExports(parent);
  if (parent?.type === "AssignmentExpression" && parent.right === reference.identifier)
    return /^(module\.)?exports\b/.test(sourceOf(parent.left));
  const declarator =
    parent?.type === "VariableDeclarator" ? (parent as ESTree.Node & { parent?: ESTree.Node }).parent : undefined;
  return (
    (declarator as (ESTree.Node & { parent?: ESTree.Node }) | undefined)?.parent?.type === "ExportNamedDeclaration"
  );
}

/** `module.exports = { x }`: the object a property is in is what the module exports. */
function isModuleExports(property: ESTree.Node & { parent?: ESTree.Node }): boolean {
  const object = property.parent as (ESTree.Node & { parent?: ESTree.Node }) | undefined;
  const assignment = object?.parent;
  return assignment?.type === "AssignmentExpression" && /^(module\.)?exports\b/.test(sourceOf(assignment.left));
}

/** `module.exports`, `exports.x`: a member chain as written. */
function sourceOf(node: ESTree.Node): string {
  if (node.type === "Identifier") return node.name;
  if (node.type === "MemberExpression" && !node.computed && node.property.type === "Identifier")
    return `${sourceOf(node.object)}.${node.property.name}`;
  return "";
}

/**
 * An object literal's fields that hold a collection, changed by its own methods (`this.byUser.set`,
 * or through its name, `orders.byUser.set`): what the one object keeps for the app.
 */
export function objectFields(
  context: Rule.RuleContext,
  object: ESTree.ObjectExpression,
  name: string,
  collectionMade: (made: ESTree.Node | null | undefined) => string | undefined,
): LastingField[] {
  const fields = new Map<string, { node: ESTree.Node; made: string }>();
  const methods: ESTree.Node[] = [];
  for (const property of object.properties) {
    if (property.type !== "Property" || property.computed || property.key.type !== "Identifier") continue;
    const value = property.value as ESTree.Node;
    if (value.type === "FunctionExpression" || value.type === "ArrowFunctionExpression") methods.push(value);
    const made = collectionMade(value);
    if (made) fields.set(property.key.name, { node: property, made });
  }
  const changes = new Map<string, { writtenAt?: number; takenAt?: number }>();
  for (const method of methods)
    walk(context, method, (node) => {
      if (node.type !== "MemberExpression" || node.computed || node.property.type !== "Identifier") return;
      const self =
        node.object.type === "ThisExpression" || (node.object.type === "Identifier" && node.object.name === name);
      const field = node.property.name;
      const change = self && fields.has(field) ? changeOf(node) : undefined;
      if (!change) return;
      const seen = changes.get(field) ?? {};
      seen.writtenAt ??= node.loc!.start.line;
      if (change === "takes") seen.takenAt ??= node.loc!.start.line;
      changes.set(field, seen);
    });
  return changedFields(fields, changes, (field) => `${name}.${field}`, false);
}

/** The fields their object's methods change, as collections that last (`named`: how the report names one). */
function changedFields(
  fields: ReadonlyMap<string, { node: ESTree.Node; made: string }>,
  changes: ReadonlyMap<string, { writtenAt?: number; takenAt?: number }>,
  named: (field: string) => string,
  madeOnceOnly: boolean,
): LastingField[] {
  return [...fields].flatMap(([field, { node, made }]) => {
    const changed = changes.get(field);
    if (changed?.writtenAt === undefined) return [];
    const { writtenAt, takenAt: drainedAt } = changed;
    return [{ name: named(field), node, made, writtenAt, drainedAt, madeOnceOnly }];
  });
}
