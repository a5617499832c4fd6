// A Map, Set, array or object that outlives the request (declared at the file's top, or in the
// function that puts the app together: the closure every request shares) and is written while
// serving one: user data in one server's memory.
import type { Scope } from "eslint";
import type * as ESTree from "estree";
import { insideAny, RequestHandlers, type FunctionNode } from "../handlers";
import { variableOf } from "../imported-from";
import { stateRule } from "../state-rule";

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

export const collectionsInMemory = stateRule(
  "collections",
  "a Map, Set, array or object that outlives the request, written while serving one: user data in one server's memory",
  (report, context) => {
    const handlers = new RequestHandlers(context);
    /** What the initialiser makes: "a Map", "an array"…; undefined when it is not a new collection. */
    const collectionMade = (init: ESTree.Node | null | undefined): string | undefined => {
      if (init?.type === "ArrayExpression") return "an array";
      if (init?.type === "ObjectExpression") return "an object";
      if (init?.type !== "NewExpression" || init.callee.type !== "Identifier") return undefined;
      const { name } = init.callee;
      // The built-in, not a class of the file's own of that name.
      if (!COLLECTIONS.has(name) || variableOf(context.sourceCode.getScope(init), name)?.defs.length) return undefined;
      return name === "Array" ? "an array" : `a ${name}`;
    };
    return {
      CallExpression: (node: ESTree.CallExpression) => handlers.see(node),
      "Program:exit"() {
        const serving = handlers.handlers();
        if (serving.size === 0) return;
        for (const scope of context.sourceCode.scopeManager.scopes) {
          for (const variable of scope.variables) {
            const declarator = variable.defs[0]?.node as ESTree.Node | undefined;
            if (declarator?.type !== "VariableDeclarator") continue;
            const made = collectionMade(declarator.init);
            // Only what lives as long as the app: declared at the file's top, or where the app is put
            // together (the closure its handlers share), not in a request's own function.
            const declaredIn = variable.scope.block;
            const lasting = declaredIn.type === "Program" || handlers.registrars().has(declaredIn as FunctionNode);
            if (!made || !lasting || serving.has(declaredIn as FunctionNode) || insideAny(declaredIn, serving))
              continue;
            const write = variable.references.find(
              (reference) => mutated(reference) && insideAny(reference.identifier as ESTree.Identifier, serving),
            );
            if (write)
              report(
                declarator,
                `\`${variable.name}\` (${made}) outlives the request and is written while serving one ` +
                  `(line ${write.identifier.loc!.start.line})`,
              );
          }
        }
      },
    };
  },
);

/** Whether the reference changes what the variable holds: `x.set(…)`, `x[k] = v`, `x[k].push(…)`, `delete x[k]`. */
function mutated(reference: Scope.Reference): boolean {
  let node = reference.identifier as ESTree.Node & { parent?: ESTree.Node };
  let member = false;
  // Up the chain of members whose object this is: carts[user].items…
  while (node.parent?.type === "MemberExpression" && node.parent.object === node) {
    node = node.parent as ESTree.Node & { parent?: ESTree.Node };
    member = true;
  }
  if (!member) return false;
  const parent = node.parent;
  const property = (node as ESTree.MemberExpression).property;
  const name =
    property.type === "Identifier" && !(node as ESTree.MemberExpression).computed ? property.name : undefined;
  if (parent?.type === "CallExpression" && parent.callee === node) return name !== undefined && MUTATORS.has(name);
  if (parent?.type === "AssignmentExpression" && parent.left === node) return true;
  if (parent?.type === "UpdateExpression") return true;
  return parent?.type === "UnaryExpression" && parent.operator === "delete";
}
