// Uploads on this server's own disk: multer's `dest` or diskStorage; and a file written with
// Node's fs (writeFile, createWriteStream…) while serving a request, or by an object the app made
// once (a repository that keeps files in a folder of this server).
import type * as ESTree from "estree";
import { insideAny, RequestHandlers } from "../handlers";
import { importedFrom, isExport, optionsOf, type Imported } from "../imported-from";
import { servingParts } from "../made-once";
import { stateRule } from "../state-rule";

const MODULE = "multer";
const FS_MODULES = ["fs", "node:fs", "fs/promises", "node:fs/promises"];
const WRITES = ["writeFile", "writeFileSync", "createWriteStream", "appendFile", "appendFileSync", "copyFile"];

/** `writeFile` from fs or fs/promises, `fs.writeFile`, `fs.promises.writeFile`. */
function isFileWrite(imported: Imported | undefined): boolean {
  return FS_MODULES.some((module) => isExport(imported, module, ...WRITES));
}

export const filesOnDisk = stateRule(
  "files",
  "uploads or files written to this server's disk (multer's dest or diskStorage, fs writes while serving): files only this server has",
  (report, context) => {
    const handlers = new RequestHandlers(context);
    const writes: ESTree.CallExpression[] = [];
    return {
      CallExpression(node: ESTree.CallExpression) {
        handlers.see(node);
        const imported = importedFrom(context, node.callee);
        if (isFileWrite(imported) || isFileWrite(promisesMember(context, node.callee))) writes.push(node);
        if (isExport(imported, MODULE, "diskStorage")) {
          report(node, "multer's diskStorage writes each upload to this server's disk");
          return;
        }
        if (!isExport(imported, MODULE, "default", "*")) return;
        if (optionsOf(context, node.arguments[0] as ESTree.Node | undefined)?.has("dest"))
          report(node, "multer with `dest` writes each upload to this server's disk");
      },
      "Program:exit"() {
        // Its own handlers, and what the app's use of a followed declaration runs later (made-once.ts).
        const { own, all } = servingParts(context, handlers);
        for (const write of writes) {
          if (!insideAny(write, all)) continue;
          const name = context.sourceCode.getText(write.callee);
          report(write, `${name}() writes a file to this server's disk while serving a request`, {
            madeOnceOnly: !insideAny(write, own),
          });
        }
      },
    };
  },
);

/** `fs.promises.writeFile`: the member of `promises` of a whole fs module. */
function promisesMember(context: Parameters<typeof importedFrom>[0], callee: ESTree.Node): Imported | undefined {
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier") return undefined;
  const promises = importedFrom(context, callee.object);
  return promises?.name === "promises" && FS_MODULES.includes(promises.module)
    ? { module: `${promises.module}/promises`, name: callee.property.name }
    : undefined;
}
