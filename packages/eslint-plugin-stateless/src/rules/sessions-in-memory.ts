// express-session with no `store`, or with its MemoryStore: every session in this process.
import type * as ESTree from "estree";
import { importedFrom, isExport, optionsOf } from "../imported-from";
import { stateRule } from "../state-rule";

const MODULE = "express-session";

export const sessionsInMemory = stateRule(
  "sessions",
  "express-session with no store, or with its MemoryStore: sessions only this server knows",
  (report, context) => {
    const isMemoryStore = (node: ESTree.Node) =>
      node.type === "NewExpression" && isExport(importedFrom(context, node.callee), MODULE, "MemoryStore");
    return {
      CallExpression(node) {
        if (!isExport(importedFrom(context, node.callee), MODULE, "default", "*")) return;
        // Options that cannot be read here (built elsewhere, spread): no guess.
        const options = optionsOf(context, node.arguments[0] as ESTree.Node | undefined);
        if (options && !options.has("store"))
          report(node, "express-session with no store keeps every session in this process's MemoryStore");
      },
      NewExpression(node) {
        if (isMemoryStore(node)) report(node, "express-session's MemoryStore holds the sessions in this process");
      },
    };
  },
);
