// The state audit as an ESLint plugin (flat config, ESLint 10):
//   import stateless from "@cart/eslint-plugin-stateless";
//   export default [stateless.configs.recommended];
// Each rule finds one kind of state a server keeps to itself (state-kinds.ts); `find-state` is the
// report over a folder.
import type { ESLint, Linter } from "eslint";
import { followWithRules } from "./followed";
import { collectionsInMemory } from "./rules/collections-in-memory";
import { countersInMemory } from "./rules/counters-in-memory";
import { filesOnDisk } from "./rules/files-on-disk";
import { queuesInMemory } from "./rules/queues-in-memory";
import { sessionsInMemory } from "./rules/sessions-in-memory";
import { socketsInRegistry } from "./rules/sockets-in-registry";
import type { StateKindName } from "./state-kinds";
import type { StateRule } from "./state-rule";

export { STATE_KINDS, type StateKindName } from "./state-kinds";

export const RULES = {
  "sessions-in-memory": sessionsInMemory,
  "collections-in-memory": collectionsInMemory,
  "queues-in-memory": queuesInMemory,
  "sockets-in-registry": socketsInRegistry,
  "counters-in-memory": countersInMemory,
  "files-on-disk": filesOnDisk,
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
  rules: Object.fromEntries(Object.keys(RULES).map((name) => [`stateless/${name}`, "error"])),
};

export default plugin;
