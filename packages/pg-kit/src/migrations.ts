// Versioned migrations, run once per database however many instances start at the same moment:
// the first to take a transaction-scoped advisory lock applies what is missing, in order, and
// records each version; the others wait for the lock, then find nothing left to do. All of it is
// one transaction, so a migration that fails leaves the database as it was.
import type { Pool } from "pg";
import { transaction } from "./pg-pool";

export interface Migration {
  /** 1, 2, 3…: applied in this order, each once. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * One story's part of the database: its migrations, and what to prepare once they have run (seed
 * rows, a queue's tables), so that each story's tables can live beside its queries.
 */
export interface Schema {
  readonly migrations?: readonly Migration[];
  readonly prepare?: (pool: Pool) => Promise<void>;
}

/**
 * Runs the schemas' migrations, in version order whichever schema holds them, then each one's
 * `prepare`, in the order given. Safe to run again, and from many instances at once.
 */
export async function prepareSchemas(pool: Pool, schemas: readonly Schema[]): Promise<void> {
  const migrations = schemas.flatMap((schema) => schema.migrations ?? []);
  await migrate(
    pool,
    [...migrations].sort((a, b) => a.version - b.version),
  );
  for (const { prepare } of schemas) await prepare?.(pool);
}

/** Any number the app's migrations alone use as their lock (pg_advisory_xact_lock takes a bigint). */
const MIGRATIONS_LOCK = 0x63617274; // "cart"

/** Applies the migrations the database has not seen; resolves with the versions it applied. */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<number[]> {
  const versions = migrations.map(({ version }) => version);
  if (versions.some((version, i) => i > 0 && version <= versions[i - 1]!)) {
    throw new Error(`migrations must be in increasing version order: ${versions.join(", ")}`);
  }
  // At start-up, not in a request: no deadline (waiting for another instance's migration included).
  return transaction(pool, async (client) => {
    await client.query("SET LOCAL statement_timeout = 0");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATIONS_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map(({ version }) => version));
    const missing = migrations.filter(({ version }) => !applied.has(version));
    for (const { version, name, sql } of missing) {
      await client.query(sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [version, name]);
    }
    return missing.map(({ version }) => version);
  });
}
