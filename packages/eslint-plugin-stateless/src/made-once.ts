// Where an app makes what it keeps for as long as it runs, and the state that keeps: every rule
// follows the objects and functions made once (followed.ts) and reports what they keep of its
// kind, at the place that makes them. Made once: at a file's top level (a module's singletons), in
// a function that puts an app or a server together (registers routes or connections, calls
// express() or createServer, or calls a function that does), and, in a followed class, in its
// fields and its constructor (in a followed function, its body); never in what serves a request
// or what a timer runs. And a function of another module a request calls (`addToCart(…)`) is
// followed too: what it writes there while serving is the app's state all the same.
import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { auditRoot, collectedFor, followedDeclaration } from "./audit-settings";
import { followMade } from "./followed";
import { enclosingFunction, insideAny, isFunction, RequestHandlers, within, type FunctionNode } from "./handlers";
import { importedFrom, isExport } from "./imported-from";
import { isAudited, placeName } from "./module-files";
import type { StateKindName } from "./state-kinds";

type Site = ESTree.CallExpression | ESTree.NewExpression;
type ClassNode = ESTree.ClassDeclaration | ESTree.ClassExpression;

/** How a rule reports (state-rule.ts's Report). */
type Report = (node: ESTree.Node, what: string, found?: { reason?: string; madeOnceOnly?: boolean }) => void;

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

/** Methods that call the function they are given before they return: it runs now, not later. */
const CALLS_NOW = new Set([
  "forEach",
  "map",
  "flatMap",
  "filter",
  "reduce",
  "reduceRight",
  "some",
  "every",
  "find",
  "findIndex",
  "findLast",
  "sort",
  "from",
]);

const isClass = (node: ESTree.Node | undefined): node is ClassNode =>
  node?.type === "ClassDeclaration" || node?.type === "ClassExpression";

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
      const use = followedDeclaration(context)?.use;
      const declared = madeOnceDeclaration(context);
      if (use && !declared) return;
      const { own: ownServing, all: serving } = servingParts(context, handlers);
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
        if (insideAny(site, ownServing) || insideAny(site, timers)) return false;
        const around = context.sourceCode.getAncestors(site).filter((node) => isClass(node) || isFunction(node));
        // A class's fields and methods are made, and run, as often as the class is: not known here.
        if (around.some(isClass)) return false;
        return around.length === 0 || (around as FunctionNode[]).some(assembles);
      };
      const collected = collectedFor(context);
      if (collected && use === "made once" && isFunction(declared)) collected.assembles ||= assembles(declared);
      const root = auditRoot(context);
      const followedHere = new Set<string>();
      for (const site of sites) {
        const alone = madeOnceHere(site);
        // In a followed module, only what the declaration followed makes or calls: the rest is the
        // module's own, reported where it is audited.
        const mine = !declared || within(site, declared);
        const made = mine && (use ? use === "made once" && madeNow(context, site, declared!) : alone);
        // A function of another module a request calls (a `new` while serving makes the request's own
        // object; a function of this file's is read with it: handlers.ts).
        const served =
          mine &&
          !made &&
          site.type === "CallExpression" &&
          insideAny(site, serving) &&
          !insideAny(site, timers) &&
          importedFrom(context, site.callee) !== undefined;
        if (!made && !served) continue;
        const followed = followMade(context, site.callee, made ? "made once" : "served");
        if (!followed) continue;
        // What a function called while serving writes is reported once in this file, at its first call.
        if (served && followedHere.has(`${followed.file}:${followed.name}`)) continue;
        if (served) followedHere.add(`${followed.file}:${followed.name}`);
        const where = placeName(followed.file, root);
        // What a module audited (this file, or another under the audit's root) keeps anyway is
        // reported in its own file, once.
        const audited = followed.file === context.filename || isAudited(followed.file, root);
        const linted = use === undefined && audited;
        for (const finding of followed.findings) {
          if (finding.kind !== kind || (linted && !finding.madeOnceOnly)) continue;
          const seenAlone = served ? insideAny(site, ownServing) : alone;
          report(site, `${followed.name} (${where}:${finding.line}) → ${finding.what}`, {
            reason: finding.reason,
            madeOnceOnly: !(seenAlone && (!audited || finding.madeOnceOnly)),
          });
        }
      }
    },
  };
}

/**
 * The functions of the file that run while serving a request: its own handlers (what linting it
 * alone sees), and with them, in a followed module, what the app's use of the declaration runs
 * later: a class's methods, the functions a function made once hands out, a function called
 * while serving.
 */
export function servingParts(
  context: Rule.RuleContext,
  handlers: RequestHandlers,
): { own: Set<FunctionNode>; all: Set<FunctionNode> } {
  const own = handlers.handlers();
  const declared = madeOnceDeclaration(context);
  const use = followedDeclaration(context)?.use;
  if (!declared || !use) return { own, all: own };
  if (use === "served") return { own, all: handlers.handlersWith([declared as FunctionNode]) };
  const later = isClass(declared)
    ? declared.body.body.flatMap((member) =>
        (member.type === "MethodDefinition" && member.kind !== "constructor") ||
        (member.type === "PropertyDefinition" && isFunction(member.value ?? undefined))
          ? [member.value as FunctionNode]
          : [],
      )
    : context.sourceCode.scopeManager.scopes
        .map(({ block }) => block as ESTree.Node)
        .filter(
          (fn): fn is FunctionNode =>
            isFunction(fn) && fn !== declared && within(fn, declared) && !runsNow(context, fn, declared),
        );
  return { own, all: handlers.handlersWith(later) };
}

/** The class or function the app uses, when the rule reads a followed module (audit-settings.ts). */
export function madeOnceDeclaration(context: Rule.RuleContext): ESTree.Node | undefined {
  const range = followedDeclaration(context)?.range;
  if (!range) return undefined;
  const scope = context.sourceCode.scopeManager.scopes.find(
    ({ block }) => block.range![0] === range[0] && block.range![1] === range[1],
  );
  return scope?.block as ESTree.Node | undefined;
}

/**
 * Whether `node`, in the class or function made once, runs as it is made: in a class's field
 * values or its constructor, in a function's own body (or a callback it runs there, as
 * `forEach`'s); not in what it hands out to run later (a method, a closure, a handler).
 */
export function madeNow(context: Rule.RuleContext, node: ESTree.Node, declared: ESTree.Node): boolean {
  if (!isClass(declared)) return within(node, declared) && runsNow(context, node, declared);
  return declared.body.body.some((member) => {
    // A field whose value is a function is a method: it runs later.
    if (member.type === "PropertyDefinition")
      return (
        member.value != null &&
        !isFunction(member.value) &&
        within(node, member.value) &&
        runsNow(context, node, member.value)
      );
    return (
      member.type === "MethodDefinition" &&
      member.kind === "constructor" &&
      within(node, member.value) &&
      runsNow(context, node, member.value)
    );
  });
}

/**
 * Whether `node` runs when `outer` does: every function between them (`node` itself, if it is
 * one) is called there and then (`forEach`'s, an IIFE).
 */
function runsNow(context: Rule.RuleContext, node: ESTree.Node, outer: ESTree.Node): boolean {
  const first = isFunction(node) ? node : enclosingFunction(context, node);
  for (let fn = first; fn && fn !== outer && within(fn, outer);) {
    const parent = (fn as ESTree.Node & { parent?: ESTree.Node }).parent;
    const calledNow =
      (parent?.type === "CallExpression" && parent.callee === fn) ||
      ((parent?.type === "CallExpression" || parent?.type === "NewExpression") &&
        parent.arguments.includes(fn as ESTree.Expression) &&
        ((parent.callee.type === "MemberExpression" &&
          parent.callee.property.type === "Identifier" &&
          CALLS_NOW.has(parent.callee.property.name)) ||
          (parent.type === "NewExpression" &&
            parent.callee.type === "Identifier" &&
            parent.callee.name === "Promise")));
    if (!calledNow) return false;
    fn = enclosingFunction(context, fn);
  }
  return true;
}

function makesApp(context: Rule.RuleContext, site: Site): boolean {
  const imported = importedFrom(context, site.callee);
  return APP_MAKERS.some(([module, ...names]) => isExport(imported, module, ...names));
}
