// Sessions in this process's memory, express-session's MemoryStore, kept the way the stateful app
// keeps them. What comes with keeping them here rather than in a store that expires them itself:
//  - a sweep: MemoryStore notices that a session has expired only when it is read, so without
//    one, memory would grow with every user who ever logged in;
//  - no `touch`: a session lives as long as its cookie, fixed at login (express-session sends the
//    cookie again only when the session changes, and the stateless app's token lives as long).
//    With it, express-session would rewrite every session on every request to slide an expiry no
//    browser's cookie follows, holding each response back until the store has answered;
//  - timing as `memory` (Server-Timing): no client library times it, as the stores' kits do theirs.
import { timedAdapter } from "@cart/domain";
import { MemoryStore, type Store } from "express-session";

const SWEEP_MS = 60_000;

export interface MemorySessions {
  /** For express-session. */
  readonly store: Store;
  /** The sessions this process holds, expired or not (MemoryStore's `length` drops the expired first). */
  held(): number;
}

export function memorySessions(): MemorySessions {
  const memory = new MemoryStore();
  // Only what reads or writes sessions: express-session also asks the store to make a blank one.
  const store: Store = timedAdapter("memory", memory, ["get", "set", "destroy", "all", "length", "clear"]);
  store.touch = undefined;
  setInterval(() => memory.all(() => undefined), SWEEP_MS).unref(); // reading them all drops the expired ones
  return {
    store,
    held: () => Object.keys((memory as unknown as { sessions: Record<string, string> }).sessions).length,
  };
}
