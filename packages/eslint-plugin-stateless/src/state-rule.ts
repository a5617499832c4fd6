// What every rule of the audit shares: a finding names the kind of state, the failure and the
// journey that shows it, and the fix; and a place that is per-server by design is silenced only by
// an annotation at its line that says why:
//   // state-audit: per-server: the sockets this server holds
// With `{ reportAnnotated: true }` (what `find-state` asks) an annotated place is reported apart,
// as honoured, so that the report can count and list them.
import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { collectedFor } from "./audit-settings";
import { madeOnceVisitors } from "./made-once";
import { explain, STATE_KINDS, type StateKind, type StateKindName } from "./state-kinds";

const ANNOTATION = /^\s*state-audit:\s*per-server:\s*(\S.*)$/;

/**
 * Reports `node` as state of `kind` (`what`: the place, in a few words), unless annotated. A
 * finding followed from elsewhere brings the reason of its own annotation there, and says
 * whether only its being made once shows it (audit-settings.ts).
 */
export type Report = (node: ESTree.Node, what: string, found?: { reason?: string; madeOnceOnly?: boolean }) => void;

/** A rule of the audit, with the kind of state it finds (the report groups its findings by it). */
export type StateRule = Rule.RuleModule & { readonly kind: StateKindName };

export function stateRule(
  kind: StateKindName,
  description: string,
  visitors: (report: Report, context: Rule.RuleContext) => Rule.RuleListener,
): StateRule {
  return {
    kind,
    meta: {
      type: (STATE_KINDS[kind] as StateKind).warning ? "suggestion" : "problem",
      docs: { description },
      schema: [
        {
          type: "object",
          properties: { reportAnnotated: { type: "boolean" } },
          additionalProperties: false,
        },
      ],
      messages: {
        found: `${STATE_KINDS[kind].title}: {{what}}: {{why}}`,
        perServer: `${STATE_KINDS[kind].title}, per-server by design: {{what}} ({{reason}})`,
      },
    },
    create(context) {
      const { reportAnnotated = false } = (context.options[0] ?? {}) as { reportAnnotated?: boolean };
      const collected = collectedFor(context);
      const report: Report = (node, what, found = {}) => {
        const reason = annotationAt(context, node) ?? found.reason;
        const { line, column } = node.loc!.start;
        collected?.findings.push({
          kind,
          what,
          file: context.filename,
          range: node.range!,
          line,
          column: column + 1,
          reason,
          madeOnceOnly: found.madeOnceOnly ?? false,
        });
        if (reason === undefined) context.report({ node, messageId: "found", data: { what, why: explain(kind) } });
        else if (reportAnnotated) context.report({ node, messageId: "perServer", data: { what, reason } });
      };
      return mergeListeners(visitors(report, context), madeOnceVisitors(context, kind, report));
    },
  };
}

/**
 * The reason an annotation gives, on the line of `node` (after its code) or alone on the line
 * above (a comment after another line's code is that line's); none without.
 */
function annotationAt(context: Rule.RuleContext, node: ESTree.Node): string | undefined {
  const line = node.loc!.start.line;
  for (const comment of context.sourceCode.getAllComments()) {
    const { start, end } = comment.loc!;
    const above =
      end.line === line - 1 && context.sourceCode.lines[start.line - 1]!.slice(0, start.column).trim() === "";
    if (start.line !== line && !above) continue;
    const reason = ANNOTATION.exec(comment.value)?.[1];
    if (reason) return reason.trim();
  }
  return undefined;
}

/** Both sets of visitors, each called in turn where both listen to the same node. */
function mergeListeners(...listeners: Rule.RuleListener[]): Rule.RuleListener {
  const merged: Record<string, (node: never) => void> = {};
  for (const listener of listeners)
    for (const [selector, visit] of Object.entries(listener) as [string, (node: never) => void][]) {
      const before = merged[selector];
      merged[selector] = before
        ? (node) => {
            before(node);
            visit(node);
          }
        : visit;
    }
  return merged as Rule.RuleListener;
}
