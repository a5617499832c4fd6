// The collections a file keeps for as long as the app runs, and what its requests and its timers
// do to them: what collections-in-memory and queues-in-memory report. A collection lasts when it
// is declared at the file's top, or in the function that registers the app's routes (the closure its
// handlers share), not in a request's own function. In a class or a function the app makes once
// (made-once.ts), its fields, and the variables its functions share, last as long as the app:
// written by its methods (or those functions), they hold what the app was asked to keep.
import type { Rule, Scope } from "eslint";
import type * as ESTree from "estree";
import { insideAny, RequestHandlers, type FunctionNode } from "./handlers";
import { madeOnceDeclaration, servingParts } from "./made-once";
import { importedFrom, isExport, variableOf } from "./imported-from";

export interface LastingCollection {
  readonly name: string;
  /** Where it is declared: a variable's declarator, a class's field. */
  readonly node: ESTree.Node;
  /** "a Map", "an array"… */
  readonly made: string;
  /** The first line where a request writes it. */
  readonly writtenAt: number;
  /** The first line where a timer's work takes its next items (shift, pop, splice); none if none does. */
  readonly drainedAt: number | undefined;
  /** The first line where a request puts a connection's socket in it; none if none does. */
  readonly socketsAt: number | undefined;
  /** A field of an object made once (a class's, an object literal's), changed by its methods; or a variable. */
  readonly field: boolean;
  /** An in-memory cache (lru-cache…), not a bare collection: caches-of-user-data's. */
  readonly cache: boolean;
  /** Lasting only because its class or function is made once (a field, a shared variable). */
  readonly madeOnceOnly: boolean;
}

const COLLECTIONS = new Set(["Map", "Set", "Array"]);
/** Methods that change a Map, a Set or an array. */
const MUTATORS = new Set([
  "set",
  "add",
  "delete",
  "clear",
  "push",
  "unshift",
  "pop",
  "shift",
  "splice",
  "sort",
  "fill",
]);
/** In-memory caches, by module and export: what caches-of-user-data reports (a cache's `set` writes it). */
const CACHES: readonly { readonly module: string; readonly names: readonly string[]; readonly made: string }[] = [
  { module: "lru-cache", names: ["LRUCache", "default", "*"], made: "an LRU cache (lru-cache)" },
  { module: "node-cache", names: ["default", "*"], made: "a cache (node-cache)" },
  { module: "quick-lru", names: ["default"], made: "an LRU cache (quick-lru)" },
];
const CACHE_MADE = new Set(CACHES.map(({ made }) => made));

/** Of them, those that take the next item out of a list: how a worker drains a queue (a Map's delete on a timer is an expiry). */
const TAKERS = new Set(["pop", "shift", "splice"]);

/** The collections that are not caches (those are caches-of-user-data's). */
export const bare = (collections: LastingCollection[]) => collections.filter(({ cache }) => !cache);

/** A rule's visitors that find them: `found` is given them once the whole file is read. */
export function lastingCollections(
  context: Rule.RuleContext,
  found: (collections: LastingCollection[]) => void,
): Rule.RuleListener {
  const handlers = new RequestHandlers(context);
  const collectionMade = (made: ESTree.Node | null | undefined): string | undefined => {
    const init = withoutTypes(made);
    if (init?.type === "ArrayExpression") return "an array";
    if (
      init?.type === "CallExpression" &&
      init.callee.type === "MemberExpression" &&
      init.callee.object.type === "Identifier" &&
      init.callee.object.name === "Object" &&
      init.callee.property.type === "Identifier" &&
      init.callee.property.name === "create"
    )
      return "an object";
    if (init?.type === "ObjectExpression") return "an object";
    if (init?.type !== "NewExpression") return undefined;
    const imported = importedFrom(context, init.callee);
    const cache = CACHES.find(({ module, names }) => isExport(imported, module, ...names));
    if (cache) return cache.made;
    if (init.callee.type !== "Identifier") return undefined;
    const { name } = init.callee;
    // The built-in, not a class of the file's own of that name.
    if (!COLLECTIONS.has(name) || variableOf(context.sourceCode.getScope(init), name)?.defs.length) return undefined;
    return name === "Array" ? "an array" : `a ${name}`;
  };
  return {
    CallExpression: (node: ESTree.CallExpression) => handlers.see(node),
    "Program:exit"() {
      // What serves requests as this file alone shows it, and with what the app's use of a followed
      // declaration runs later (made-once.ts).
      const { own, all: serving } = servingParts(context, handlers);
      const madeOnce = madeOnceDeclaration(context);
      const timers = handlers.timerWork();
      const collections: LastingCollection[] =
        madeOnce?.type === "ClassDeclaration" || madeOnce?.type === "ClassExpression"
          ? lastingFields(context, madeOnce, collectionMade)
          : [];
      for (const scope of context.sourceCode.scopeManager.scopes) {
        for (const variable of scope.variables) {
          const declarator = variable.defs[0]?.node as ESTree.Node | undefined;
          if (declarator?.type !== "VariableDeclarator") continue;
          const made = collectionMade(declarator.init);
          const declaredIn = variable.scope.block;
          // A variable of a function made once, which the functions it hands out share.
          const shared = madeOnce !== undefined && declaredIn === madeOnce;
          const lastingAlone = declaredIn.type === "Program" || handlers.registrars().has(declaredIn as FunctionNode);
          // An object with methods, made once: a service as an object literal, its fields written by its methods.
          const service = withoutTypes(declarator.init);
          if (lastingAlone && service?.type === "ObjectExpression" && hasMethods(service)) {
            const used = variable.references.some(
              (reference) =>
                !reference.init && (insideAny(reference.identifier as ESTree.Node, own) || exported(reference)),
            );
            if (used) collections.push(...objectFields(context, service, variable.name, collectionMade));
            continue;
          }
          if (!made || !(shared || lastingAlone) || serving.has(declaredIn as FunctionNode)) continue;
          if (insideAny(declaredIn, serving)) continue;
          const line = (reference: Scope.Reference) => reference.identifier.loc!.start.line;
          const at = (reference: Scope.Reference, where: Set<FunctionNode>) =>
            insideAny(reference.identifier as ESTree.Identifier, where);
          const changes = (reference: Scope.Reference) => changeOf(reference.identifier as ESTree.Identifier);
          const write = variable.references.find((reference) => changes(reference) && at(reference, serving));
          if (!write) continue;
          // What hands out the functions of a function made once runs them later: their takes are a worker's.
          const drain = variable.references.find(
            (reference) =>
              changes(reference) === "takes" && (at(reference, timers) || (shared && at(reference, serving))),
          );
          // Linting this file alone finds it too: its own handlers write it.
          const foundAlone =
            lastingAlone && variable.references.some((reference) => changes(reference) && at(reference, own));
          const isSocket = (value: ESTree.Node | undefined): boolean => {
            // `{ socket, name }`: a socket kept inside what is stored is kept all the same.
            if (value?.type === "ObjectExpression")
              return value.properties.some((p) => p.type === "Property" && isSocket(p.value as ESTree.Node));
            if (value?.type !== "Identifier") return false;
            const definition = variableOf(context.sourceCode.getScope(value), value.name)?.defs[0];
            return (
              definition?.type === "Parameter" && handlers.connectionHandlers().has(definition.node as FunctionNode)
            );
          };
          const socket = variable.references.find(
            (reference) => at(reference, serving) && writtenValues(reference).some(isSocket),
          );
          collections.push({
            name: variable.name,
            node: declarator,
            made,
            field: false,
            cache: CACHE_MADE.has(made),
            writtenAt: line(write),
            drainedAt: drain && line(drain),
            socketsAt: socket && line(socket),
            madeOnceOnly: !foundAlone,
          });
        }
      }
      found(collections);
    },
  };
}

/** An expression without TypeScript's own wrapping: `{} as Record<…>`, `[] satisfies …`, `<T[]>[]`, `x!`. */
function withoutTypes(node: ESTree.Node | null | undefined): ESTree.Node | null | undefined {
  const typed = node as { type?: string; expression?: ESTree.Node } | null | undefined;
  const wrappers = ["TSAsExpression", "TSSatisfiesExpression", "TSTypeAssertion", "TSNonNullExpression"];
  return typed?.type && wrappers.includes(typed.type) ? withoutTypes(typed.expression) : node;
}

/**
 * How `start` (a variable, or a field as `this.x`) is changed where it is used (`x.push(…)`,
 * `x[k] = v`, `delete x[k]`…), if it is.
 */
function changeOf(start: ESTree.Node): "writes" | "takes" | undefined {
  let node = start as ESTree.Node & { parent?: ESTree.Node };
  let member = start.type === "MemberExpression";
  // Up the chain of members whose object this is: carts[user].items…
  while (node.parent?.type === "MemberExpression" && node.parent.object === node) {
    node = node.parent as ESTree.Node & { parent?: ESTree.Node };
    member = true;
  }
  if (!member) return undefined;
  const parent = node.parent;
  const expression = node as ESTree.MemberExpression;
  const name = expression.property.type === "Identifier" && !expression.computed ? expression.property.name : undefined;
  if (parent?.type === "CallExpression" && parent.callee === node) {
    if (name === undefined || !MUTATORS.has(name)) return undefined;
    return TAKERS.has(name) ? "takes" : "writes";
  }
  if (parent?.type === "UnaryExpression" && parent.operator === "delete") return "takes";
  if (parent?.type === "AssignmentExpression" && parent.left === node) return "writes";
  return parent?.type === "UpdateExpression" ? "writes" : undefined;
}

/** What a write puts in the collection: `x.set(k, v)`'s v, `x.add(v)`, `x.push(v…)`, `x[k] = v`. */
function writtenValues(reference: Scope.Reference): ESTree.Node[] {
  const identifier = reference.identifier as ESTree.Node & { parent?: ESTree.Node };
  const member = identifier.parent;
  if (member?.type !== "MemberExpression" || member.object !== identifier) return [];
  const parent = (member as ESTree.Node & { parent?: ESTree.Node }).parent;
  if (parent?.type === "AssignmentExpression" && parent.left === member) return [parent.right];
  if (parent?.type !== "CallExpression" || parent.callee !== member || member.property.type !== "Identifier") return [];
  const args = parent.arguments as ESTree.Node[];
  if (member.property.name === "set") return args.slice(1, 2);
  return ["add", "push", "unshift"].includes(member.property.name) ? args : [];
}

/**
 * A class's fields that hold a collection (`carts = new Map()`, or `this.carts = new Map()` in its
 * constructor) and that its methods change: what its one instance keeps for the app.
 */
function lastingFields(
  context: Rule.RuleContext,
  declared: ESTree.ClassDeclaration | ESTree.ClassExpression,
  collectionMade: (made: ESTree.Node | null | undefined) => string | undefined,
): LastingCollection[] {
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
function hasMethods(object: ESTree.ObjectExpression): boolean {
  return object.properties.some(
    (p) =>
      p.type === "Property" && (p.value.type === "FunctionExpression" || p.value.type === "ArrowFunctionExpression"),
  );
}

/** Whether the reference hands the variable to other modules: `export { x }`, `module.exports = x`, `exports.x = x`. */
function exported(reference: Scope.Reference): boolean {
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
function objectFields(
  context: Rule.RuleContext,
  object: ESTree.ObjectExpression,
  name: string,
  collectionMade: (made: ESTree.Node | null | undefined) => string | undefined,
): LastingCollection[] {
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
): LastingCollection[] {
  return [...fields].flatMap(([field, { node, made }]) => {
    const changed = changes.get(field);
    if (changed?.writtenAt === undefined) return [];
    const cache = CACHE_MADE.has(made);
    const { writtenAt, takenAt: drainedAt } = changed;
    return [
      { name: named(field), node, made, field: true, cache, writtenAt, drainedAt, socketsAt: undefined, madeOnceOnly },
    ];
  });
}

/** Calls `visit` on `root` and every node under it. */
function walk(context: Rule.RuleContext, root: ESTree.Node, visit: (node: ESTree.Node) => void): void {
  const keys = context.sourceCode.visitorKeys;
  const queue: ESTree.Node[] = [root];
  while (queue.length > 0) {
    const node = queue.pop()!;
    visit(node);
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const each of Array.isArray(child) ? child : [child])
        if (each && typeof (each as ESTree.Node).type === "string") queue.push(each as ESTree.Node);
    }
  }
}
