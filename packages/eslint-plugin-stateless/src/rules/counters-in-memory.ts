// express-rate-limit (and express-slow-down) with no `store`, or with its MemoryStore; and a
// number that outlives the request and is counted while serving one (`failedLogins++`): each
// process counts only the requests it saw.
import type { Scope } from "eslint";
import type * as ESTree from "estree";
import { insideAny, RequestHandlers, type FunctionNode } from "../handlers";
import { importedFrom, isExport, optionsOf, type Imported } from "../imported-from";
import { madeOnceDeclaration, servingParts } from "../made-once";
import { stateRule } from "../state-rule";

const LIMITERS: Readonly<Record<string, readonly string[]>> = {
  "express-rate-limit": ["default", "rateLimit", "*"],
  "express-slow-down": ["default", "slowDown", "*"],
};

const isLimiter = (imported: Imported | undefined) =>
  Object.entries(LIMITERS).some(([module, names]) => isExport(imported, module, ...names));

export const countersInMemory = stateRule(
  "counters",
  "a rate limiter with no store, or with its MemoryStore: each server counts apart",
  (report, context) => {
    const handlers = new RequestHandlers(context);
    return {
      CallExpression(node: ESTree.CallExpression) {
        handlers.see(node);
        const imported = importedFrom(context, node.callee);
        if (!isLimiter(imported)) return;
        const options = optionsOf(context, node.arguments[0] as ESTree.Node | undefined);
        if (options && !options.has("store"))
          report(node, `${imported!.module} with no store counts in this process's memory`);
      },
      NewExpression(node: ESTree.NewExpression) {
        const imported = importedFrom(context, node.callee);
        if (imported?.name === "MemoryStore" && imported.module in LIMITERS)
          report(node, `${imported.module}'s MemoryStore counts in this process's memory`);
      },
      "Program:exit"() {
        const { own, all } = servingParts(context, handlers);
        const madeOnce = madeOnceDeclaration(context);
        for (const scope of context.sourceCode.scopeManager.scopes)
          for (const variable of scope.variables) {
            const declarator = variable.defs[0]?.node as ESTree.Node | undefined;
            if (declarator?.type !== "VariableDeclarator" || !isNumber(declarator.init)) continue;
            const declaredIn = variable.scope.block;
            const shared = madeOnce !== undefined && declaredIn === madeOnce;
            const lastingAlone = declaredIn.type === "Program" || handlers.registrars().has(declaredIn as FunctionNode);
            if (!shared && !lastingAlone) continue;
            const counted = (reference: Scope.Reference, where: Set<FunctionNode>) =>
              reference.isWrite() && !reference.init && insideAny(reference.identifier as ESTree.Node, where);
            const count = variable.references.find((reference) => counted(reference, all));
            if (!count) continue;
            const foundAlone = lastingAlone && variable.references.some((reference) => counted(reference, own));
            report(
              declarator,
              `\`${variable.name}\` (a number) outlives the request and is counted while serving one ` +
                `(line ${count.identifier.loc!.start.line}), in this process's memory`,
              { madeOnceOnly: !foundAlone },
            );
          }
      },
    };
  },
);

/** A number to count with: `0`, `-1`, `1e3`. */
function isNumber(node: ESTree.Node | null | undefined): boolean {
  if (node?.type === "UnaryExpression" && node.operator === "-") return isNumber(node.argument);
  return node?.type === "Literal" && typeof node.value === "number";
}
