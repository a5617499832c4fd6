// What the audit tells its rules beyond their options, through ESLint's shared settings (a rule
// reads them; a user never sets them): when it follows into a module (followed.ts), which
// declaration of it the app made once (a class it instantiated, a function it called while
// putting itself together); and where each rule puts what it finds, as data (the kind, the place,
// the reason of an annotation), for `find-state` and for the rule that followed.
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
   * Found only because the declaration is made once (a field of a class, a variable its
   * functions share, what it makes in turn): linting its file alone would not find it.
   */
  readonly madeOnceOnly: boolean;
}

/** What the rules found, as they found it. */
export interface Collected {
  readonly findings: CollectedFinding[];
  /** Whether the declaration made once puts an app or a server together (its routes, its server). */
  assembles: boolean;
}

interface AuditSettings {
  /** The source range of the declaration made once, when the rules read a followed module. */
  readonly madeOnce?: readonly [number, number];
  readonly collected: string;
}

const collections = new Map<string, Collected>();
let next = 0;

/**
 * Settings under which the rules put what they find in `collected` (until `done()`), reading
 * the declaration at `madeOnce`, if given, as made once.
 */
export function collecting(madeOnce?: readonly [number, number]): {
  settings: Record<string, unknown>;
  collected: Collected;
  done(): void;
} {
  const id = String(next++);
  const collected: Collected = { findings: [], assembles: false };
  collections.set(id, collected);
  const settings: AuditSettings = { madeOnce, collected: id };
  return { settings: { [KEY]: settings }, collected, done: () => collections.delete(id) };
}

/** The range of the declaration the app made once, when the rule reads a followed module. */
export function madeOnceRange(context: Rule.RuleContext): readonly [number, number] | undefined {
  return (context.settings[KEY] as AuditSettings | undefined)?.madeOnce;
}

/** Where the rule puts what it finds; none when the audit did not ask. */
export function collectedFor(context: Rule.RuleContext): Collected | undefined {
  const id = (context.settings[KEY] as AuditSettings | undefined)?.collected;
  return id === undefined ? undefined : collections.get(id);
}
