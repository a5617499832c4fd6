// Where an app makes what it keeps for as long as it runs, and the state that keeps: every rule
// follows the objects and functions made once (followed.ts) and reports what they keep of its
// kind, at the place that makes them. Made once: at a file's top level (a module's singletons), in
// a function that puts an app or a server together (registers routes or connections, calls
// express() or createServer, or calls a function that does), and, in a followed class, in its
// fields and its constructor (in a followed function, its body); never in what serves a request
// or what a timer runs.
import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { followMade } from "./followed";
import { enclosingFunction, insideAny, RequestHandlers, within, type FunctionNode } from "./handlers";
import { importedFrom, isExport } from "./imported-from";
import { collectedFor, madeOnceRange } from "./audit-settings";
import { packageOf, placeName } from "./module-files";
import type { StateKindName } from "./state-kinds";

/** How a rule reports (state-rule.ts's Report). */
type Report = (node: ESTree.Node, what: string, found?: { reason?: string; madeOnceOnly?: boolean }) => void;

type Site = ESTree.CallExpression | ESTree.NewExpression;
const FUNCTIONS_AND_CLASSES = new Set([
  "FunctionDeclaration",
  "FunctionExpression",
  "ArrowFunctionExpression",
  "ClassDeclaration",
  "ClassExpression",
]);

/** Calls that make an app or a server: who makes one is putting an app together. */
const APP_MAKERS: readonly (readonly [string, ...string[]])[] = [
  ["express", "default", "*"],
  ["node:http", "createServer"],
  ["http", "createServer"],
  ["node:https", "createServer"],
  ["https", "createServer"],
  ["ws", "WebSocketServer", "Server"],
  ["socket.io", "Server", "default"],
];

export function madeOnceVisitors(context: Rule.RuleContext, kind: StateKindName, report: Report): Rule.RuleListener {
  const handlers = new RequestHandlers(context);
  const sites: Site[] = [];
  return {
    CallExpression(node: ESTree.CallExpression) {
      handlers.see(node);
      sites.push(node);
    },
    NewExpression: (node: ESTree.NewExpression) => sites.push(node),
    "Program:exit"() {
      const declared = madeOnceDeclaration(context);
      if (madeOnceRange(context) && !declared) return;
      const serving = handlers.handlers();
      const timers = handlers.timerWork();
      const registrars = handlers.registrars();
      const assemblies = new Map<FunctionNode, boolean>();
      /** Whether `fn` puts an app together: it registers routes, or makes (or has made) an app or a server. */
      const assembles = (fn: FunctionNode): boolean => {
        let found = assemblies.get(fn);
        if (found !== undefined) return found;
        assemblies.set(fn, false);
        found =
          registrars.has(fn) ||
          sites.some(
            (site) =>
              enclosingFunction(context, site) === fn &&
              (makesApp(context, site) || Boolean(followMade(context, site.callee)?.assembles)),
          );
        assemblies.set(fn, found);
        return found;
      };
      /** Made once, as this file alone says: at its top level, or in a function that puts an app together. */
      const madeOnceHere = (site: Site): boolean => {
        const around = context.sourceCode.getAncestors(site).filter((node) => FUNCTIONS_AND_CLASSES.has(node.type));
        // A class's fields and methods are made, and run, as often as the class is: not known here.
        if (around.some((node) => node.type === "ClassDeclaration" || node.type === "ClassExpression")) return false;
        return around.length === 0 || (around as FunctionNode[]).some(assembles);
      };
      const collected = collectedFor(context);
      if (collected && declared && declared.type !== "ClassDeclaration" && declared.type !== "ClassExpression")
        collected.assembles ||= assembles(declared as FunctionNode);
      const here = packageOf(context.filename).root;
      for (const site of sites) {
        if (insideAny(site, serving) || insideAny(site, timers)) continue;
        const alone = madeOnceHere(site);
        if (declared ? !inMadeOncePart(site, declared) : !alone) continue;
        const followed = followMade(context, site.callee);
        if (!followed) continue;
        const where = placeName(followed.file, context.filename);
        for (const finding of followed.findings) {
          if (finding.kind !== kind) continue;
          // What a module of this package keeps anyway is reported in its own file, once.
          const shownHere = packageOf(followed.file).root !== here || finding.madeOnceOnly;
          if (!declared && !shownHere) continue;
          report(site, `${followed.name} (${where}:${finding.line}) → ${finding.what}`, {
            reason: finding.reason,
            madeOnceOnly: !(alone && shownHere),
          });
        }
      }
    },
  };
}

/** Of a class made once, its fields' values and its constructor; of a function, its body. */
function inMadeOncePart(site: Site, declared: ESTree.Node): boolean {
  if (declared.type !== "ClassDeclaration" && declared.type !== "ClassExpression") return within(site, declared);
  return declared.body.body.some(
    (member) =>
      (member.type === "PropertyDefinition" && member.value && within(site, member.value)) ||
      (member.type === "MethodDefinition" && member.kind === "constructor" && within(site, member)),
  );
}

function makesApp(context: Rule.RuleContext, site: Site): boolean {
  const imported = importedFrom(context, site.callee);
  return APP_MAKERS.some(([module, ...names]) => isExport(imported, module, ...names));
}

/** The class or function the app made once, when the rule reads a followed module (audit-settings.ts). */
export function madeOnceDeclaration(context: Rule.RuleContext): ESTree.Node | undefined {
  const range = madeOnceRange(context);
  if (!range) return undefined;
  const scope = context.sourceCode.scopeManager.scopes.find(
    ({ block }) => block.range![0] === range[0] && block.range![1] === range[1],
  );
  return scope?.block as ESTree.Node | undefined;
}

/**
 * Whether `node`, in the class or function made once, runs after it is made: in a method of the
 * class (not its constructor), in a function the function makes.
 */
export function runsLater(context: Rule.RuleContext, node: ESTree.Node, declared: ESTree.Node): boolean {
  if (declared.type !== "ClassDeclaration" && declared.type !== "ClassExpression")
    return within(node, declared) && enclosingFunction(context, node) !== declared;
  return declared.body.body.some(
    (member) =>
      (member.type === "MethodDefinition" && member.kind !== "constructor" && within(node, member)) ||
      (member.type === "PropertyDefinition" &&
        (member.value?.type === "ArrowFunctionExpression" || member.value?.type === "FunctionExpression") &&
        within(node, member.value)),
  );
}
