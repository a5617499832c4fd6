#!/usr/bin/env node
// `pnpm stores`: the private Redis, PostgreSQL and object store the suite uses, started for
// someone who wants to run an app by hand (docs/configuration.md): it prints the `export` lines
// that point an app at them, and stops them on Ctrl-C. Always its own stores: REDIS_URL,
// DATABASE_URL and S3_ENDPOINT are what it prints, not what it reads.
import { LocalPostgresServer, LocalRedisServer, LocalS3Server } from "@cart/local-infra";
import { objectStoreEnv } from "@cart/s3-kit";
import { Command } from "commander";
import { rm, writeFile } from "node:fs/promises";
import { privateObjectStore } from "../rig/test-bed";
import { newScratchStores } from "../rig/scratch-stores";
import { startAll } from "../rig/start-all";
import { runCommand } from "./runner";

interface StoresOptions {
  exportTo?: string;
}

const program = new Command()
  .name("pnpm stores")
  .description(
    "Start a private Redis, PostgreSQL and object store on free loopback ports, print the export lines " +
      "that point the stateless app at them, and stop them on Ctrl-C.",
  )
  .option("--export-to <file>", "also write the export lines to this file (removed again on Ctrl-C)")
  .addHelpText(
    "after",
    [
      "",
      "Each store starts empty: a database with no tables yet (the app migrates it) and a bucket.",
      "Redis keeps an append-only file, as in the suite. Nothing outlives Ctrl-C.",
      "",
      "Examples:",
      "  pnpm stores                              then paste the export lines where you start the app",
      "  pnpm stores --export-to /tmp/stores.env   and `source /tmp/stores.env` in another shell",
      "",
      "Exit code: 0 after Ctrl-C, 2 when a store could not start (the line says how to install it).",
    ].join("\n"),
  );

runCommand<StoresOptions>({
  program,
  async run({ exportTo }, { say, onInterrupt }) {
    say("starting a private Redis, PostgreSQL and object store…");
    const [redis, postgres, s3] = await startAll([
      () => LocalRedisServer.start({ appendOnly: true }),
      () => LocalPostgresServer.start(),
      () => LocalS3Server.start(),
    ] as const);
    onInterrupt(async () => {
      if (exportTo) await rm(exportTo, { force: true });
      await Promise.all([redis.stop(), s3.stop()]);
      await postgres.stop();
    });
    const { database, bucket } = await newScratchStores("stateless", postgres.url(), privateObjectStore(s3));
    const env = { REDIS_URL: redis.url, DATABASE_URL: database.url, ...objectStoreEnv(bucket.config) };
    const lines = Object.entries(env).map(([name, value]) => `export ${name}=${shellQuoted(value)}`);
    if (exportTo) await writeFile(exportTo, `${lines.join("\n")}\n`);
    say(`redis-server on port ${redis.port}, postgres on port ${postgres.port}, s3rver on port ${s3.port}.`);
    say("Point the stateless app at them (with a JWT_SECRET of your own):\n");
    say(lines.join("\n"));
    say(`\n${exportTo ? `(also in ${exportTo}) ` : ""}Press Ctrl-C to stop them.`);
    return "serving";
  },
});

/** A value as one shell word: bare when it can be, else in single quotes. */
function shellQuoted(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
