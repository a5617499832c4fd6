// The collections a file keeps for as long as the app runs, and what its requests and its timers
// do to them: what collections-in-memory and queues-in-memory report. A collection lasts when it
// is declared at the file's top, or in the function that registers the app's routes (the closure its
// handlers share), not in a request's own function. In a class or a function the app makes once
// (made-once.ts), its fields (lasting-fields.ts), and the variables its functions share, last as long as the app:
// written by its methods (or those functions), they hold what the app was asked to keep.
import type { Rule, Scope } from "eslint";
import type * as ESTree from "estree";
import { insideAny, RequestHandlers, type FunctionNode } from "./handlers";
import { madeOnceDeclaration, servingParts } from "./made-once";
import { importedFrom, isExport, variableOf } from "./imported-from";
import { changeOf, withoutTypes } from "./collection-changes";
import { exported, hasMethods, lastingFields, objectFields, type LastingField } from "./lasting-fields";

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
/** In-memory caches, by module and export: what caches-of-user-data reports (a cache's `set` writes it). */
const CACHES: readonly { readonly module: string; readonly names: readonly string[]; readonly made: string }[] = [
  { module: "lru-cache", names: ["LRUCache", "default", "*"], made: "an LRU cache (lru-cache)" },
  { module: "node-cache", names: ["default", "*"], made: "a cache (node-cache)" },
  { module: "quick-lru", names: ["default"], made: "an LRU cache (quick-lru)" },
];
const CACHE_MADE = new Set(CACHES.map(({ made }) => made));

/** A field of an object made once, as a collection that lasts. */
const asCollection = (field: LastingField): LastingCollection => ({
  ...field,
  field: true,
  cache: CACHE_MADE.has(field.made),
  socketsAt: undefined,
});

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
          ? lastingFields(context, madeOnce, collectionMade).map(asCollection)
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
            if (used)
              collections.push(...objectFields(context, service, variable.name, collectionMade).map(asCollection));
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
