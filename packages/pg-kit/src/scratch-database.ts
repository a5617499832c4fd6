// Databases made for one test file or one stack of the suite, so that each starts from a known
// state (fresh wallets), and dropped afterwards. Made on the server that `serverUrl` names, whose
// role must be allowed to create databases (the private PostgreSQL's superuser is).
import { randomBytes } from "node:crypto";
import { Client } from "pg";

export interface ScratchDatabase {
  /** Where the database will be: known before it exists, for apps made before it is. */
  readonly url: string;
  create(): Promise<void>;
  /** Drops it, with whatever connections are still open to it. */
  drop(): Promise<void>;
}

export function scratchDatabase(serverUrl: string, prefix = "cart"): ScratchDatabase {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const onServer = async (sql: string) => {
    const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    url: url.toString(),
    create: () => onServer(`CREATE DATABASE ${name}`),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
