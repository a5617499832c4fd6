// The kinds of state a server can keep to itself, as the audit names them: for each, what breaks
// behind a load balancer that does not pin users to servers, the journey of `pnpm compare` that
// shows it (docs/comparison.md in this repository), and what the stateless app does instead.

export interface StateKind {
  /** How the report heads the kind's findings. */
  readonly title: string;
  /** What goes wrong, in a user's words. */
  readonly failure: string;
  /** The `pnpm compare` journeys that show it. */
  readonly journeys: readonly string[];
  /** Where the state goes instead. */
  readonly fix: string;
  /** Fine in its place, wrong as the only copy: a warning, which does not fail the audit. */
  readonly warning?: boolean;
}

export const STATE_KINDS = {
  sessions: {
    title: "Sessions in process memory",
    failure:
      "a user whose next request reaches another server, or whose server restarts, is not logged in there: " +
      "their session, and the cart it holds, is on the first server only",
    journeys: ["no-stickiness", "server-crash", "rolling-deploy"],
    fix: "keep sessions in a store every server shares (Redis: connect-redis's RedisStore), or in a signed token",
  },
  collections: {
    title: "User data in long-lived collections",
    failure:
      "what one server writes there while serving a request, the others never see, and a restart loses: a user " +
      "whose next request lands elsewhere finds it gone",
    journeys: ["no-stickiness", "server-crash", "atm-different-answers"],
    fix: "keep it in a store every server shares (Redis for what is temporary, a database for what must last)",
  },
  connections: {
    title: "Connections as a registry",
    failure:
      "a socket stays on the server that holds it: a message for a user connected to another server is never " +
      "delivered, and who is online differs from server to server",
    journeys: ["chat-across-servers", "chat-presence"],
    fix:
      "keep the sockets (a connection cannot move) and say so (// state-audit: per-server: …), but pass messages " +
      "between servers (Redis pub/sub) and keep presence where every server sees it",
  },
  queues: {
    title: "Queues and jobs in memory",
    failure:
      "the jobs wait in one server's memory: they die with it (a crash, a deploy), and a server added to take " +
      "the load cannot take any of them",
    journeys: ["kitchen-crash", "kitchen-scale-out", "kitchen-rolling-deploy"],
    fix: "a queue every server shares, whose jobs outlive any one server (PostgreSQL with pg-boss, as our kitchen)",
  },
  counters: {
    title: "Counters and limits per process",
    failure:
      "each server counts only the requests it saw: behind three servers a limit of 5 failed logins lets 15 through",
    journeys: ["brute-force"],
    fix: "count in a store every server shares (express-rate-limit's `store`: rate-limit-redis, or our RedisRateLimitStore)",
  },
  files: {
    title: "Files on the server's own disk",
    failure:
      "an upload is on the disk of the server that took it: another server answers 404, and a replaced machine " +
      "loses it",
    journeys: ["avatar-upload", "avatar-after-replace"],
    fix: "keep the bytes in object storage every server reaches (S3 or compatible; multer's memoryStorage, then a PUT)",
  },
  caches: {
    title: "Caches of user data",
    failure:
      "each server caches its own copy: after a change made on another server it answers with the old one until " +
      "it expires, and what is only in the cache a restart loses (fine as a cache of what a store keeps, wrong as " +
      "the only copy)",
    journeys: ["atm-different-answers"],
    fix: "cache only what a shared store keeps, for no longer than a stale answer may live; or cache in a store every server shares (Redis)",
    warning: true,
  },
} as const satisfies Record<string, StateKind>;

export type StateKindName = keyof typeof STATE_KINDS;

/** The message every finding of `kind` ends with: the failure, the journeys, the fix. */
export function explain(kind: StateKindName): string {
  const { failure, journeys, fix } = STATE_KINDS[kind];
  return `${failure} (pnpm compare --journey ${journeys.join(", ")}). Fix: ${fix}.`;
}
