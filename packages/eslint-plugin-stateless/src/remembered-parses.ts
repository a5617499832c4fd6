// typescript-eslint's parser, remembering the trees it made. The audit reads a module again for
// each declaration it follows into it (a kit's classes, each made by the app; the functions its
// handlers call), and parsing is most of what reading costs: a lab's audit parsed 74 files 269
// times. The tree is made once per file and text; its scopes, which ESLint completes as it lints
// (globals added, references resolved: a new analysis each time, as ESLint requires), are analysed
// again from it, as the parser itself would.
import { analyze, type AnalyzeOptions } from "@typescript-eslint/scope-manager";
import { version as analyserVersion } from "@typescript-eslint/scope-manager/package.json";

interface ParserOptions {
  readonly filePath?: string;
  /** Type information (a TypeScript program): such trees are the parser's business alone. */
  readonly project?: unknown;
  readonly projectService?: unknown;
  readonly programs?: unknown;
  readonly sourceType?: "script" | "module";
  readonly ecmaFeatures?: { readonly jsx?: boolean; readonly globalReturn?: boolean };
  readonly jsxPragma?: string | null;
  readonly jsxFragmentName?: string | null;
  readonly lib?: AnalyzeOptions["lib"];
  readonly emitDecoratorMetadata?: boolean;
  readonly experimentalDecorators?: boolean;
  readonly isolatedDeclarations?: boolean;
}

interface Parsed {
  readonly ast: object;
  readonly scopeManager: object;
  readonly services: { readonly program?: unknown };
  readonly visitorKeys: object;
}

interface TypeScriptParser {
  readonly meta?: { readonly name?: string; readonly version?: string };
  parseForESLint(code: string, options?: ParserOptions): Parsed;
}

/** typescript-eslint's parser, of the version whose scope analysis this module runs (the same analysis). */
const isTypeScriptParser = (parser: unknown): parser is TypeScriptParser =>
  (parser as TypeScriptParser | undefined)?.meta?.name === "typescript-eslint/parser" &&
  (parser as TypeScriptParser).meta?.version === analyserVersion &&
  typeof (parser as TypeScriptParser).parseForESLint === "function";

type Trees = Map<string, { readonly code: string; readonly options: string; readonly parsed: Parsed }>;
/** Each parser's trees: each file's last, with the text and the options it was made from. */
const treesOf = new WeakMap<TypeScriptParser, Trees>();
const remembering = new WeakMap<TypeScriptParser, TypeScriptParser>();

/** `parser`, remembering its trees if it is typescript-eslint's; any other parser as it is. */
export function rememberingParser<P>(parser: P): P {
  if (!isTypeScriptParser(parser)) return parser;
  let wrapped = remembering.get(parser);
  if (!wrapped) {
    wrapped = { meta: parser.meta, parseForESLint: (code, options) => parse(parser, code, options) };
    remembering.set(parser, wrapped);
  }
  return wrapped as P;
}

function parse(parser: TypeScriptParser, code: string, options: ParserOptions = {}): Parsed {
  const file = options.filePath;
  if (file === undefined || options.project || options.projectService || options.programs)
    return parser.parseForESLint(code, options);
  const trees = treesOf.get(parser) ?? new Map();
  treesOf.set(parser, trees);
  const sourceType = options.sourceType === "module" ? "module" : "script";
  // What else makes another tree, or other scopes, from the same text.
  const shape = JSON.stringify([
    sourceType,
    options.ecmaFeatures ?? {},
    options.jsxPragma,
    options.jsxFragmentName,
    options.lib,
    // Kept in the services the tree comes with.
    options.emitDecoratorMetadata,
    options.experimentalDecorators,
    options.isolatedDeclarations,
  ]);
  const kept = trees.get(file);
  if (kept && kept.code === code && kept.options === shape) {
    const { ast, services, visitorKeys } = kept.parsed;
    // The analysis typescript-eslint's parseForESLint makes when no TypeScript program is given.
    const scopeManager = analyze(ast as Parameters<typeof analyze>[0], {
      globalReturn: options.ecmaFeatures?.globalReturn,
      jsxPragma: options.jsxPragma,
      jsxFragmentName: options.jsxFragmentName,
      lib: options.lib,
      sourceType,
    });
    return { ast, scopeManager, services, visitorKeys };
  }
  const parsed = parser.parseForESLint(code, options);
  // A tree made with type information is the parser's business alone (its scopes follow the program's settings).
  if (!parsed.services.program) trees.set(file, { code, options: shape, parsed });
  return parsed;
}
