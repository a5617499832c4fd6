// A PostgreSQL pool for an app that keeps its durable data there, tuned like the Redis client to
// fail fast: a connection that cannot be made within a second fails, so does a call that gets no
// answer within a second (STORE_UNAVAILABLE, 503), and the pool is bounded, so a database that is
// down or hung never hangs a request. The pool reconnects by itself when the database is back.
import {
  countRoundTrip,
  STORE_DEADLINE_MS,
  StoreUnavailableError,
  timedStore,
  withinStoreDeadline,
} from "@cart/domain";
import { DatabaseError, Pool, type PoolClient } from "pg";

const MAX_CONNECTIONS = 10;

export function createPgPool(url: string): Pool {
  const pool = new Pool({
    connectionString: url,
    max: MAX_CONNECTIONS,
    connectionTimeoutMillis: STORE_DEADLINE_MS,
    // The server ends a statement that runs too long; ours (dbCall) ends the wait for a hung one.
    statement_timeout: STORE_DEADLINE_MS,
    idleTimeoutMillis: 30_000,
    // A statement is sent at once, also while the one before it on the connection waits for its
    // answer: what a caller sends without waiting (inOneTrip) shares one round trip.
    pipeline: true,
  });
  // An idle connection that dies (the server restarted) is an event, not a crash: one line per outage.
  let healthy = true;
  pool.on("error", (error: Error) => {
    if (pool.ending) return; // a connection closing because the pool is: not an outage
    if (healthy) console.error(`postgres: ${error.message}; reconnecting on the next call`);
    healthy = false;
  });
  pool.on("connect", (client) => {
    if (!healthy) console.log("postgres: connected again");
    healthy = true;
    // A connection that dies while it is checked out (a transaction under way when the database
    // crashed) fails its query, and the pool drops it when it is released; but pg also emits the
    // error on the client, which the pool listens to only while the client is idle: without a
    // listener of ours, that event would end the process.
    client.on("error", () => undefined);
    // Each statement awaited before the next is sent is a round trip to the database: a
    // transaction of five counts as five (and its BEGIN and COMMIT), in the request's
    // Server-Timing. A statement sent while another is still unanswered rides in its trip.
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    let unanswered = 0;
    client.query = ((...args: unknown[]) => {
      if (unanswered === 0 || !client.pipeline) countRoundTrip();
      const sent = query(...args);
      if (!(sent instanceof Promise)) return sent;
      unanswered++;
      const answered = () => void unanswered--;
      sent.then(answered, answered);
      return sent;
    }) as typeof client.query;
  });
  return pool;
}

/**
 * SQLSTATE classes that mean "the database is not there", not "your statement is wrong": no
 * connection (08), out of resources (53), shutting down, starting up or cut short by its statement
 * timeout (57).
 */
const OUTAGE = /^(08|53|57)/;
/** How pg and the system say a connection was refused, lost or never made: no SQLSTATE. */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);
const CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end)/;

/**
 * Whether a failed call means the database is not there, rather than that it refused the
 * statement for its own reasons or that our code is wrong: anything not known as an outage is a
 * bug, for the caller to let through.
 */
export function isOutage(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (error instanceof DatabaseError) return OUTAGE.test(error.code ?? "");
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return CONNECTION_CODES.has(String(code)) || CONNECTION_LOST.test(String(message));
}

/** Whether PostgreSQL refused a statement for breaking `constraint` (by its name): an answer, not an outage. */
export function violates(error: unknown, constraint: string): boolean {
  return error instanceof DatabaseError && error.constraint === constraint;
}

/**
 * Runs a database operation within the stores' deadline; not reaching PostgreSQL becomes StoreUnavailableError.
 * A statement the database refused for its own reasons (a constraint, a syntax error) is not an
 * outage: it is rethrown as it is (a 500, a bug of ours, unless the caller turned it into a
 * DomainError first).
 */
export function dbCall<T>(operation: () => Promise<T>, onDeadline?: () => void): Promise<T> {
  const isAnswer = (error: unknown) => error instanceof DatabaseError && !OUTAGE.test(error.code ?? "");
  return timedStore("postgres", () => withinStoreDeadline(operation, { isAnswer, onDeadline }));
}

/**
 * `work` inside one transaction on one connection, within dbCall's deadline (a request's). At the
 * deadline the connection is cut, so a transaction the caller was told failed (503) does not
 * commit later, when a hung database wakes up; unless its COMMIT had already been sent, which no
 * client can take back (the same holds for any database and any deadline).
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const deadline = cutAtDeadline();
  return dbCall(() => transaction(pool, work, deadline.connected), deadline.passed);
}

/**
 * A request's connection, cut at its deadline: at once, whatever it has in flight (pg's `end()`
 * waits for the answers a pipelined connection is owed), and also when the pool hands it over
 * only after the deadline, so that nothing is sent on it for a request already answered 503.
 */
export function cutAtDeadline() {
  let client: PoolClient | undefined;
  let passed = false;
  const cut = (connection: PoolClient) =>
    (connection as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  return {
    connected: (connection: PoolClient) => {
      client = connection;
      if (passed) cut(connection);
    },
    passed: () => {
      passed = true;
      if (client) cut(client);
    },
  };
}

/**
 * `work` inside one transaction on one connection, with no deadline of ours: committed if it
 * resolves, rolled back if it throws. A connection that failed mid-way is thrown away, not reused.
 */
export async function transaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  onConnect?: (client: PoolClient) => void,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    onConnect?.(client);
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}

export async function isPgReady(pool: Pool): Promise<boolean> {
  try {
    await dbCall(() => pool.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}
