// The state audit as an ESLint plugin (flat config, ESLint 10):
//   import stateless from "@cart/eslint-plugin-stateless";
//   export default [stateless.configs.recommended];
// Each rule finds one kind of state a server keeps to itself (state-kinds.ts); `find-state` is the
// report over a folder.
import type { ESLint, Linter } from "eslint";
import { followWithRules } from "./followed";
import { cachesOfUserData } from "./rules/caches-of-user-data";
import { collectionsInMemory } from "./rules/collections-in-memory";
import { countersInMemory } from "./rules/counters-in-memory";
import { filesOnDisk } from "./rules/files-on-disk";
import { queuesInMemory } from "./rules/queues-in-memory";
import { sessionsInMemory } from "./rules/sessions-in-memory";
import { socketsInRegistry } from "./rules/sockets-in-registry";
import { STATE_KINDS, type StateKind, type StateKindName } from "./state-kinds";
import type { StateRule } from "./state-rule";

export { STATE_KINDS, type StateKindName } from "./state-kinds";

export const RULES = {
  "sessions-in-memory": sessionsInMemory,
  "collections-in-memory": collectionsInMemory,
  "queues-in-memory": queuesInMemory,
  "sockets-in-registry": socketsInRegistry,
  "counters-in-memory": countersInMemory,
  "files-on-disk": filesOnDisk,
  "caches-of-user-data": cachesOfUserData,
} as const satisfies Record<string, StateRule>;

export type RuleName = keyof typeof RULES;

// Following state into the modules an app's objects come from reads them with these same rules.
followWithRules(RULES);

/** The kind of state each rule finds. */
export const KIND_OF = Object.fromEntries(Object.entries(RULES).map(([name, rule]) => [name, rule.kind])) as Readonly<
  Record<RuleName, StateKindName>
>;

const plugin = {
  meta: { name: "@cart/eslint-plugin-stateless", version: "0.1.0" },
  rules: RULES,
  configs: {} as Record<"recommended", Linter.Config>,
} satisfies ESLint.Plugin;

plugin.configs.recommended = {
  name: "stateless/recommended",
  plugins: { stateless: plugin },
  // A warning where the state is fine in its place (a cache), an error where it breaks.
  rules: Object.fromEntries(
    Object.entries(RULES).map(([name, rule]) => [
      `stateless/${name}`,
      (STATE_KINDS[rule.kind] as StateKind).warning ? "warn" : "error",
    ]),
  ),
};

export default plugin;
