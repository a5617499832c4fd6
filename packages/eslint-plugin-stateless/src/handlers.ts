// Which functions of a file run while serving a request: those handed to a route or middleware
// (`app.get(path, fn)`, `router.use(fn)`), or to an event of a connection (`socket.on("message",
// fn)`, `io.on("connection", fn)`), the functions nested in them, and the file's own functions they
// call (followed, as far as the file goes); and apart, what the file's timers run.
import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { variableOf } from "./imported-from";

export type FunctionNode = ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression;

/** Express's routing methods, and `use`. */
const ROUTES = new Set(["get", "post", "put", "patch", "delete", "all", "options", "head", "use"]);
/** An emitter's subscription: a handler when its event is named by a string (a socket's, a server's). */
const EVENTS = new Set(["on", "once", "addListener"]);
/** Node's timers: what they run is background work, not a request's. */
const TIMERS = new Set(["setInterval", "setTimeout", "setImmediate"]);
/** A stream's or a process's own events: what they run is not a request being served. */
const NOT_REQUESTS = new Set([
  "data",
  "end",
  "error",
  "close",
  "finish",
  "drain",
  "readable",
  "response",
  "timeout",
  "open",
  "exit",
  "listening",
  "pipe",
  "unpipe",
]);
/** The events that hand a server a new connection's socket (socket.io's `connect` is its alias). */
const CONNECTION_EVENTS = new Set(["connection", "connect"]);
/** A server's own events: whoever subscribes to them is putting a server together. */
const SERVER_EVENTS = new Set(["connection", "upgrade", "request"]);

export const isFunction = (node: ESTree.Node | null | undefined): node is FunctionNode =>
  node?.type === "FunctionExpression" ||
  node?.type === "ArrowFunctionExpression" ||
  node?.type === "FunctionDeclaration";

/** Collects a file's handlers as its calls go by; `handlers()` once the whole file is read. */
export class RequestHandlers {
  private readonly roots = new Set<FunctionNode>();
  private readonly timerRoots = new Set<FunctionNode>();
  private readonly apps = new Set<FunctionNode | null>();
  private readonly connections = new Set<FunctionNode>();
  /** The file's own functions each function calls by name. */
  private readonly calls = new Map<FunctionNode | null, Set<FunctionNode>>();

  constructor(private readonly context: Rule.RuleContext) {}

  /** Every call of the file, in order (a CallExpression visitor). */
  see(call: ESTree.CallExpression): void {
    const { callee } = call;
    const own = this.ownFunction(callee);
    if (own) this.callsOf(enclosingFunction(this.context, call)).add(own);
    if (callee.type === "Identifier" && TIMERS.has(callee.name) && !this.declaredHere(callee)) {
      const [first] = call.arguments;
      const work = isFunction(first as ESTree.Node)
        ? (first as FunctionNode)
        : first && this.ownFunction(first as ESTree.Node);
      if (work) this.timerRoots.add(work);
      return;
    }
    if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier") return;
    const method = callee.property.name;
    const [first] = call.arguments;
    const event = first?.type === "Literal" && typeof first.value === "string" ? first.value : undefined;
    const route =
      ROUTES.has(method) &&
      (method === "use" || looksLikePath(first as ESTree.Node | undefined) || isRouteChain(callee.object));
    const served = EVENTS.has(method) && event !== undefined && !NOT_REQUESTS.has(event);
    if (!route && !served) return;
    const handed = call.arguments.flatMap((argument) => this.handedBy(argument as ESTree.Node));
    // `map.get(key)` hands over no function: not a route.
    if (handed.length === 0) return;
    for (const fn of handed) this.roots.add(fn);
    if (event !== undefined && CONNECTION_EVENTS.has(event)) for (const fn of handed) this.connections.add(fn);
    if (route || (event !== undefined && SERVER_EVENTS.has(event)))
      this.apps.add(enclosingFunction(this.context, call));
  }

  /**
   * Where an app is put together: the functions that register its routes or its server's
   * connections (null: the file's top level). What they declare lives as long as the app.
   */
  registrars(): ReadonlySet<FunctionNode | null> {
    return this.apps;
  }

  /** The functions handed a new connection (`io.on("connection", (socket) => …)`): their first parameter is a socket. */
  connectionHandlers(): ReadonlySet<FunctionNode> {
    return this.connections;
  }

  /** The handlers, and every function of the file they reach (nested in them, or called from them). */
  handlers(): Set<FunctionNode> {
    return this.reach(this.roots);
  }

  /** The same, with `more` run while serving too (what a followed module's use runs: made-once.ts). */
  handlersWith(more: Iterable<FunctionNode>): Set<FunctionNode> {
    return this.reach([...this.roots, ...more]);
  }

  /** What timers run (setInterval, setTimeout, setImmediate), and every function of the file it reaches. */
  timerWork(): Set<FunctionNode> {
    return this.reach(this.timerRoots);
  }

  private reach(roots: Iterable<FunctionNode>): Set<FunctionNode> {
    const reached = new Set<FunctionNode>();
    const queue = [...roots];
    while (queue.length > 0) {
      const fn = queue.pop()!;
      if (reached.has(fn)) continue;
      reached.add(fn);
      for (const [caller, called] of this.calls)
        if (caller && (caller === fn || within(caller, fn))) queue.push(...called);
    }
    return reached;
  }

  /**
   * The functions an argument of a route hands over: a function; a function of the file's; and
   * what a call there hands over in turn, a wrapper's (`asyncHandler(async (req, res) => …)`) or
   * what a middleware factory of the file's returns (`app.use(scoped())`).
   */
  private handedBy(argument: ESTree.Node): FunctionNode[] {
    if (isFunction(argument)) return [argument];
    if (argument.type === "ArrayExpression")
      return argument.elements.flatMap((element) => (element ? this.handedBy(element as ESTree.Node) : []));
    if (argument.type !== "CallExpression") {
      const named = this.ownFunction(argument);
      return named ? [named] : [];
    }
    const wrapped = argument.arguments.flatMap((inner) =>
      isFunction(inner as ESTree.Node) ? [inner as FunctionNode] : [],
    );
    const factory = this.ownFunction(argument.callee);
    return [...wrapped, ...(factory ? returnedFunctions(factory) : [])];
  }

  /** Whether the file declares a name of its own (then `setInterval` is not the timer). */
  private declaredHere(node: ESTree.Identifier): boolean {
    return Boolean(variableOf(this.context.sourceCode.getScope(node), node.name)?.defs.length);
  }

  private callsOf(fn: FunctionNode | null): Set<FunctionNode> {
    const found = this.calls.get(fn) ?? new Set<FunctionNode>();
    this.calls.set(fn, found);
    return found;
  }

  /** The function of this file an identifier names (a declaration, or a const holding one). */
  private ownFunction(node: ESTree.Node): FunctionNode | undefined {
    if (node.type !== "Identifier") return undefined;
    const definition = variableOf(this.context.sourceCode.getScope(node), node.name)?.defs[0];
    if (definition?.type === "FunctionName") return definition.node as FunctionNode;
    if (definition?.type === "Variable") {
      const init = (definition.node as ESTree.VariableDeclarator).init;
      if (isFunction(init)) return init;
    }
    return undefined;
  }
}

/** `router.route("/cart")`, or a route chained on it (`.get(fn)`): what `.post(fn)` is called on. */
function isRouteChain(node: ESTree.Node): boolean {
  if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression") return false;
  const { property, object } = node.callee;
  if (property.type !== "Identifier") return false;
  if (property.name === "route") return looksLikePath(node.arguments[0] as ESTree.Node | undefined);
  return ROUTES.has(property.name) && isRouteChain(object);
}

/** The functions `factory` returns: `return (req, res, next) => …`, or an arrow's body. */
function returnedFunctions(factory: FunctionNode): FunctionNode[] {
  if (factory.body.type !== "BlockStatement") return isFunction(factory.body) ? [factory.body] : [];
  return factory.body.body.flatMap((statement) =>
    statement.type === "ReturnStatement" && isFunction(statement.argument) ? [statement.argument as FunctionNode] : [],
  );
}

/** A route's path as Express takes it: "/cart/:id", a template, an array of them (not a URL to fetch). */
function looksLikePath(node: ESTree.Node | undefined): boolean {
  if (node?.type === "Literal")
    return typeof node.value === "string" ? node.value.startsWith("/") : node.value instanceof RegExp;
  return node?.type === "TemplateLiteral" || node?.type === "ArrayExpression";
}

/** The innermost function around `node`; null at the file's top level. */
export function enclosingFunction(context: Rule.RuleContext, node: ESTree.Node): FunctionNode | null {
  const ancestors = context.sourceCode.getAncestors(node);
  for (let i = ancestors.length - 1; i >= 0; i--) if (isFunction(ancestors[i])) return ancestors[i] as FunctionNode;
  return null;
}

/** Whether `node` lies within one of `functions` (by source range). */
export function insideAny(node: ESTree.Node, functions: Iterable<ESTree.Node>): boolean {
  for (const fn of functions) if (node !== fn && within(node, fn)) return true;
  return false;
}

export function within(node: ESTree.Node, outer: ESTree.Node): boolean {
  return node.range![0] >= outer.range![0] && node.range![1] <= outer.range![1];
}
