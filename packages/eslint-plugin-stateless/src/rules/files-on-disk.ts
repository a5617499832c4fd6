// multer writing uploads to this server's disk: `dest`, or its diskStorage.
import type * as ESTree from "estree";
import { importedFrom, isExport, optionsOf } from "../imported-from";
import { stateRule } from "../state-rule";

const MODULE = "multer";

export const filesOnDisk = stateRule(
  "files",
  "multer saving uploads to this server's disk (dest, diskStorage): files only this server has",
  (report, context) => ({
    CallExpression(node: ESTree.CallExpression) {
      const imported = importedFrom(context, node.callee);
      if (isExport(imported, MODULE, "diskStorage")) {
        report(node, "multer's diskStorage writes each upload to this server's disk");
        return;
      }
      if (!isExport(imported, MODULE, "default", "*")) return;
      if (optionsOf(context, node.arguments[0] as ESTree.Node | undefined)?.has("dest"))
        report(node, "multer with `dest` writes each upload to this server's disk");
    },
  }),
);
