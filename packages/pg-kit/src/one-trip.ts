// A transaction whose statements need no answer from each other, sent in one round trip: `BEGIN`,
// the statements and `COMMIT` go together on one connection (node-postgres's pipelining, on in
// every pool createPgPool makes), and PostgreSQL runs them in order. At a store's distance this is
// the difference between paying it once and paying it once per statement.
import { DatabaseError, type Pool, type PoolClient, type QueryResult } from "pg";
import { cutAtDeadline, dbCall } from "./pg-pool";

/** A statement with its values; named, it is planned once per connection and kept (pg's prepared statements). */
export interface Statement {
  readonly text: string;
  readonly values?: readonly unknown[];
  readonly name?: string;
}

/**
 * `statements` as one transaction in one round trip, within dbCall's deadline: all committed, or
 * none. The first statement the database refuses aborts the transaction, those after it are
 * refused too, and the `COMMIT` rolls it back; a statement pg could not send at all (a value it
 * cannot encode, a name it already gave another text) is known before any answer comes, and then
 * `ROLLBACK` is sent instead. Rejects with the first failure; resolves with each statement's
 * result. The `COMMIT` goes with the rest, so a transaction cut short by the deadline may still
 * commit when a hung database wakes up: the caller must make a retry safe (a checkout's order id).
 */
export function inOneTrip(pool: Pool, statements: readonly Statement[]): Promise<QueryResult[]> {
  const deadline = cutAtDeadline();
  return dbCall(async () => {
    const client = await pool.connect();
    let answers: PromiseSettledResult<QueryResult>[] | undefined;
    try {
      deadline.connected(client);
      answers = await sendTogether(client, statements);
    } finally {
      // An end answered (committed or rolled back) leaves the connection idle and fit to use again.
      client.release(answers?.at(-1)?.status !== "fulfilled");
    }
    const failed = answers.find((answer) => answer.status === "rejected");
    if (failed) throw failed.reason;
    return answers.slice(1, -1).map((answer) => (answer as PromiseFulfilledResult<QueryResult>).value);
  }, deadline.passed);
}

/** BEGIN, the statements, then COMMIT (or ROLLBACK if one could not be sent), and each one's answer, settled. */
async function sendTogether(client: PoolClient, statements: readonly Statement[]) {
  const sent = [
    client.query("BEGIN"),
    ...statements.map(({ text, values, name }) => client.query({ text, values: values && [...values], name })),
  ];
  let unsent: unknown;
  for (const answer of sent)
    answer.catch((error: unknown) => (unsent ??= error instanceof DatabaseError ? undefined : error));
  // pg reports a statement it could not send on the next tick, long before the database answers.
  await new Promise((resolve) => setImmediate(resolve));
  const end = client.query(unsent === undefined ? "COMMIT" : "ROLLBACK");
  return Promise.allSettled([...sent, end]);
}
