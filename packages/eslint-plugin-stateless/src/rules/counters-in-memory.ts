// express-rate-limit (and express-slow-down) with no `store`, or with its MemoryStore: each process
// counts only the requests it saw.
import type * as ESTree from "estree";
import { importedFrom, isExport, optionsOf, type Imported } from "../imported-from";
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
  (report, context) => ({
    CallExpression(node: ESTree.CallExpression) {
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
  }),
);
