// The audit reads a module once per declaration it follows into it: the parser it lints them with
// makes each file's tree once, and hands ESLint new scopes each time (ESLint completes them as it
// lints: scopes used twice would resolve each global reference twice).
import tseslint from "typescript-eslint";
import { rememberingParser } from "../src/remembered-parses";

const CODE = `import { helper } from "./helper";
const carts = new Map<string, string[]>();
export function add(user: string, sku: string) { carts.set(user, [...(carts.get(user) ?? []), helper(sku)]); setTimeout(() => carts.delete(user), 1000); }`;
const OPTIONS = { filePath: "/app/src/carts.ts", sourceType: "module" as const, ecmaVersion: "latest" };

type Parse = (code: string, options: object) => { ast: object; scopeManager: ScopeManager };
interface ScopeManager {
  scopes: { type: string; variables: { name: string; references: unknown[] }[]; through: unknown[] }[];
}

/** What the rules read of the scopes: each scope's variables, with how often each is referenced. */
const scopesOf = ({ scopeManager }: { scopeManager: ScopeManager }) =>
  scopeManager.scopes.map(({ type, variables, through }) => ({
    type,
    through: through.length,
    variables: variables.map(({ name, references }) => `${name} ${references.length}`),
  }));

describe("the parser the audit follows modules with", () => {
  const parse = jest.spyOn(tseslint.parser, "parseForESLint");
  afterEach(() => parse.mockClear());

  it("parses a file once while its text stays the same, and gives every lint scopes of its own", () => {
    const parser = rememberingParser(tseslint.parser) as unknown as { parseForESLint: Parse };
    expect(rememberingParser(tseslint.parser)).toBe(parser);
    const first = parser.parseForESLint(CODE, OPTIONS);
    const second = parser.parseForESLint(CODE, OPTIONS);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(second.ast).toBe(first.ast);
    expect(second.scopeManager).not.toBe(first.scopeManager);
    // The same scopes as the parser's own, variables and references alike.
    expect(scopesOf(second)).toEqual(scopesOf(first));
    expect(scopesOf(second)).toEqual(scopesOf((tseslint.parser.parseForESLint as unknown as Parse)(CODE, OPTIONS)));
    expect(scopesOf(second).find(({ type }) => type === "module")?.variables).toContain("carts 4");
  });

  it("parses again a file whose text changed, or read as a script, or with type information", () => {
    const parser = rememberingParser(tseslint.parser) as unknown as { parseForESLint: Parse };
    parser.parseForESLint(CODE, OPTIONS);
    parse.mockClear();
    parser.parseForESLint(`${CODE}\nexport const more = 1;`, OPTIONS);
    expect(parse).toHaveBeenCalledTimes(1);
    parser.parseForESLint(CODE, OPTIONS);
    parse.mockClear();
    parser.parseForESLint(CODE, { ...OPTIONS, sourceType: "script" });
    expect(parse).toHaveBeenCalledTimes(1);
    parser.parseForESLint(CODE, OPTIONS);
    parse.mockClear();
    // A program of its own (type information) is never handed a tree made without one.
    expect(() => parser.parseForESLint(CODE, { ...OPTIONS, project: "/no/such/tsconfig.json" })).toThrow();
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it("leaves any other parser as it is", () => {
    const espreeLike = { parse: () => ({}) };
    expect(rememberingParser(espreeLike)).toBe(espreeLike);
    expect(rememberingParser(undefined)).toBeUndefined();
  });
});
