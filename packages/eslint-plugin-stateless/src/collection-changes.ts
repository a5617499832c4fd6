// How code changes a collection where it uses it (`x.push(…)`, `x[k] = v`, `delete x[k]`, and
// the same on a field, `this.x.set(…)`): a write, or the taking of its next item (a worker's).
import type { Rule } from "eslint";
import type * as ESTree from "estree";

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
/** Of them, those that take the next item out of a list: how a worker drains a queue (a Map's delete on a timer is an expiry). */
const TAKERS = new Set(["pop", "shift", "splice"]);

/** An expression without TypeScript's own wrapping: `{} as Record<…>`, `[] satisfies …`, `<T[]>[]`, `x!`. */
export function withoutTypes(node: ESTree.Node | null | undefined): ESTree.Node | null | undefined {
  const typed = node as { type?: string; expression?: ESTree.Node } | null | undefined;
  const wrappers = ["TSAsExpression", "TSSatisfiesExpression", "TSTypeAssertion", "TSNonNullExpression"];
  return typed?.type && wrappers.includes(typed.type) ? withoutTypes(typed.expression) : node;
}

/**
 * How `start` (a variable, or a field as `this.x`) is changed where it is used (`x.push(…)`,
 * `x[k] = v`, `delete x[k]`…), if it is.
 */
export function changeOf(start: ESTree.Node): "writes" | "takes" | undefined {
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

/** Calls `visit` on `root` and every node under it. */
export function walk(context: Rule.RuleContext, root: ESTree.Node, visit: (node: ESTree.Node) => void): void {
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
