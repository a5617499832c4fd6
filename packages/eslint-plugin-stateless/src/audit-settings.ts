// What the audit tells its rules beyond their options, through ESLint's shared settings (a rule
// reads them; a user never sets them): the folder audited (what is under it is reported in its
// own file; places are named from there); when it follows into a module (followed.ts), which
// declaration of it the app made once (a class it instantiated, a function it called while
// putting itself together) or calls while serving a request; and where each rule puts what it
// finds, as data (the kind, the place, the reason of an annotation), for `find-state` and for the
// rule that followed.
import type { Rule } from "eslint";
import type { StateKindName } from "./state-kinds";

const KEY = "stateless/audit";

export interface CollectedFinding {
  readonly kind: StateKindName;
  readonly what: string;
  readonly file: string;
  readonly range: readonly [number, number];
  readonly line: number;
  readonly column: number;
  /** The reason of the annotation that says it is per-server by design; none when not annotated. */
  readonly reason: string | undefined;
  /**
   * Found only because of how the declaration followed is used (made once: a field of a class, a
   * variable its functions share, what it makes in turn; called while serving: what it writes):
   * linting its file alone would not find it.
   */
  readonly madeOnceOnly: boolean;
}

/** What the rules found, as they found it. */
export interface Collected {
  readonly findings: CollectedFinding[];
  /** Whether the declaration made once puts an app or a server together (its routes, its server). */
  assembles: boolean;
}

/** How the app uses the declaration the rules read in a followed module. */
export type Followed = "made once" | "served";

interface AuditSettings {
  /** The declaration followed (its source range), and how the app uses it. */
  readonly declaration?: { readonly range: readonly [number, number]; readonly use: Followed };
  /** The folder audited. */
  readonly root: string;
  readonly collected: string;
}

const collections = new Map<string, Collected>();
let next = 0;

/**
 * Settings under which the rules put what they find in `collected` (until `done()`), auditing
 * `root`, and reading `declaration`, if given, as the app uses it.
 */
export function collecting(
  root: string,
  declaration?: AuditSettings["declaration"],
): { settings: Record<string, unknown>; collected: Collected; done(): void } {
  const id = String(next++);
  const collected: Collected = { findings: [], assembles: false };
  collections.set(id, collected);
  const settings: AuditSettings = { declaration, root, collected: id };
  return { settings: { [KEY]: settings }, collected, done: () => collections.delete(id) };
}

/** The declaration followed, and how the app uses it, when the rule reads a followed module. */
export function followedDeclaration(context: Rule.RuleContext): AuditSettings["declaration"] {
  return (context.settings[KEY] as AuditSettings | undefined)?.declaration;
}

/** The folder audited: find-state's, or ESLint's working folder. */
export function auditRoot(context: Rule.RuleContext): string {
  return (context.settings[KEY] as AuditSettings | undefined)?.root ?? context.cwd;
}

/** Where the rule puts what it finds; none when the audit did not ask. */
export function collectedFor(context: Rule.RuleContext): Collected | undefined {
  const id = (context.settings[KEY] as AuditSettings | undefined)?.collected;
  return id === undefined ? undefined : collections.get(id);
}
