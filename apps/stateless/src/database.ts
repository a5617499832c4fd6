// PostgreSQL, where the shop keeps what must last: each story's tables are beside its queries, in
// the schema its adapter exports. Prepared once per database however many instances start
// together, and in the background (server.ts, pg-kit's openDatabase): the instance serves
// meanwhile, and what needs the database answers 503.
import { prepareSchemas } from "@cart/pg-kit";
import type { Pool } from "pg";
import { ACCOUNTS_SCHEMA } from "./account-repository";
import { CHAT_SCHEMA } from "./chat-history";
import { KITCHEN_SCHEMA } from "./kitchen";

export const prepareDatabase = (pool: Pool): Promise<void> =>
  prepareSchemas(pool, [ACCOUNTS_SCHEMA, CHAT_SCHEMA, KITCHEN_SCHEMA]);
