// The stateless chat's history, in PostgreSQL like the orders, since it must last: every message of
// every conversation (the history a client resumes from after reconnecting to any server, and
// reads later), with its id in its conversation and the ref its sender gave it (so a resend after
// a lost connection is not a copy), and how far each user has read each other's messages (the
// unread counts). chat-state.ts keeps the rest of the chat, what is temporary, in Redis.
import { conversationOf, REF_KEPT_MS, type ChatDraft, type ChatHistory, type ChatMessage } from "@cart/domain";
import type { Database, Schema, Transaction } from "@cart/pg-kit";

/** The chat's tables. */
export const CHAT_SCHEMA: Schema = {
  migrations: [
    {
      version: 2,
      name: "the chat's messages and read marks",
      // A conversation's ids count up from 1 (its row holds the last one given). `at` is kept as the
      // ISO text the message carries, so it reads back exactly as it was sent.
      sql: `
        CREATE TABLE chat_conversations (
          conversation text PRIMARY KEY,
          last_id integer NOT NULL
        );
        CREATE TABLE chat_messages (
          conversation text NOT NULL REFERENCES chat_conversations,
          id integer NOT NULL,
          sender text NOT NULL,
          recipient text NOT NULL,
          text text NOT NULL,
          at text NOT NULL,
          served_by text NOT NULL,
          ref text,
          PRIMARY KEY (conversation, id)
        );
        CREATE INDEX chat_messages_by_ref ON chat_messages (conversation, sender, ref) WHERE ref IS NOT NULL;
        CREATE INDEX chat_messages_to ON chat_messages (recipient, sender, id);
        CREATE TABLE chat_reads (
          reader text NOT NULL,
          other text NOT NULL,
          up_to integer NOT NULL,
          PRIMARY KEY (reader, other)
        );`,
    },
  ],
};

/** A message as the domain has it (the kit gives rows as domain values). */
const MESSAGE = `SELECT id, sender AS "from", recipient AS "to", text, at, served_by, ref FROM chat_messages`;

// A message, with the next id of its conversation. $1 conversation, $2 from, $3 to, $4 text, $5 at,
// $6 served by, $7 ref (or null)
const APPEND = `
  WITH next AS (
    INSERT INTO chat_conversations (conversation, last_id) VALUES ($1, 1)
    ON CONFLICT (conversation) DO UPDATE SET last_id = chat_conversations.last_id + 1
    RETURNING last_id
  )
  INSERT INTO chat_messages (conversation, id, sender, recipient, text, at, served_by, ref)
  SELECT $1, last_id, $2, $3, $4, $5, $6, $7 FROM next
  RETURNING id`;

// How many of `other`'s messages to `reader` come after what the reader has read.
// $1 conversation, $2 the other (the sender), $3 the reader
const UNREAD_FROM = `
  SELECT count(*) AS unread FROM chat_messages
  WHERE conversation = $1 AND sender = $2
    AND id > COALESCE((SELECT up_to FROM chat_reads WHERE reader = $3 AND other = $2), 0)`;

export class PgChatHistory implements ChatHistory {
  constructor(private readonly database: Database) {}

  async append(draft: ChatDraft): Promise<{ message: ChatMessage; repeated: boolean; unread: number }> {
    const conversation = conversationOf(draft.from, draft.to);
    const values = [conversation, draft.from, draft.to, draft.text, draft.at, draft.servedBy, draft.ref ?? null];
    // Without a ref, one statement: the conversation's row hands out the next id (its row lock
    // orders parallel sends) and the message is written with it. With one, a transaction that
    // first looks for the ref, under a lock per conversation, so that a resend racing its first
    // send finds it. (A hash names the lock: two conversations may share one, and wait.)
    const [appended] = !draft.ref
      ? await this.database.rows<{ id: number }>(APPEND, values)
      : await this.database.transaction(async (tx) => {
          await tx.rows("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [conversation]);
          const earlier = await sentBefore(tx, conversation, draft.from, draft.ref!);
          return earlier ? [earlier] : tx.rows<{ id: number }>(APPEND, values);
        });
    const repeated = "from" in appended!;
    const message = "from" in appended! ? appended : { id: appended!.id, ...draft };
    // Counted once the message is committed: a parallel send's message is counted too.
    return { message, repeated, unread: await this.unreadFrom(draft.to, draft.from) };
  }

  async page(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]> {
    return this.database.rows<ChatMessage>(`${MESSAGE} WHERE conversation = $1 AND id > $2 ORDER BY id LIMIT $3`, [
      conversationOf(user, other),
      after,
      limit,
    ]);
  }

  async markRead(user: string, other: string, upTo: number): Promise<number> {
    // Nobody reads past the last message (one written later is unread), nor back.
    await this.database.rows(
      `INSERT INTO chat_reads (reader, other, up_to)
       VALUES ($1, $2, LEAST($3, COALESCE((SELECT last_id FROM chat_conversations WHERE conversation = $4), 0)))
       ON CONFLICT (reader, other) DO UPDATE SET up_to = GREATEST(chat_reads.up_to, EXCLUDED.up_to)`,
      [user, other, upTo, conversationOf(user, other)],
    );
    return this.unreadFrom(user, other);
  }

  async unread(user: string): Promise<Record<string, number>> {
    const rows = await this.database.rows<{ sender: string; unread: number }>(
      `SELECT m.sender, count(*) AS unread FROM chat_messages m
       LEFT JOIN chat_reads r ON r.reader = m.recipient AND r.other = m.sender
       WHERE m.recipient = $1 AND m.id > COALESCE(r.up_to, 0)
       GROUP BY m.sender`,
      [user],
    );
    return Object.fromEntries(rows.map(({ sender, unread }) => [sender, unread]));
  }

  /** How many of `other`'s messages `user` has not read. */
  private async unreadFrom(user: string, other: string): Promise<number> {
    const [counted] = await this.database.rows<{ unread: number }>(UNREAD_FROM, [
      conversationOf(user, other),
      other,
      user,
    ]);
    return counted!.unread;
  }
}

/** The message `from` sent in the conversation with this ref, within REF_KEPT_MS, if any. */
async function sentBefore(tx: Transaction, conversation: string, from: string, ref: string) {
  const since = new Date(Date.now() - REF_KEPT_MS).toISOString();
  const [message] = await tx.rows<ChatMessage>(
    `${MESSAGE} WHERE conversation = $1 AND sender = $2 AND ref = $3 AND at > $4 ORDER BY id DESC LIMIT 1`,
    [conversation, from, ref, since],
  );
  return message;
}
