// The stateless chat. The connections stay on the server that holds them (a socket cannot move);
// everything else lives where every server sees it. What is temporary is in Redis:
//  - which servers hold each user: a sorted set per user, server → when its claim runs out,
//    renewed every second, so a killed server leaves no ghost (its claims run out, and whichever
//    server notices first tells everyone the user went offline);
//  - who is typing to whom, expiring by itself;
//  - routing: a frame for a user is published on the channel of each server that holds them
//    (pub/sub, as the textbook routes it). Pub/sub loses what is published while a server is down;
//    the history closes that gap.
// What must last is in PostgreSQL, like orders: every message of every conversation (the history a
// client resumes from after reconnecting to any server, and reads later), with its id in its
// conversation and the ref its sender gave it (so a resend after a lost connection is not a
// copy), and how far each user has read each other's messages (the unread counts).
import {
  conversationOf,
  REF_KEPT_MS,
  TYPING_MS,
  type ChatDraft,
  type ChatMessage,
  type ChatState,
  type ServerFrame,
} from "@cart/domain";
import type { ChatConnections } from "@cart/http-kit";
import { dbCall, inTransaction, whenPrepared, type Database } from "@cart/pg-kit";
import { storeCall, subscribe, type RedisClient } from "@cart/redis-kit";
import type { PoolClient } from "pg";

const CLAIM_MS = 3000;
const RENEW_MS = 1000;
const SWEEP_MS = 1000;

const USERS = "chat:users";
const ENDED = "chat:ended";
const serversOf = (user: string) => `chat:servers:${user}`;
const inbox = (server: string) => `chat:to:${server}`;
const typingOf = (user: string) => `chat:typing:${user}`;

interface MessageRow {
  id: number;
  sender: string;
  recipient: string;
  text: string;
  at: string;
  served_by: string;
  ref: string | null;
}

const MESSAGE_COLUMNS = "id, sender, recipient, text, at, served_by, ref";

const messageOf = (row: MessageRow): ChatMessage => ({
  id: row.id,
  from: row.sender,
  to: row.recipient,
  text: row.text,
  at: row.at,
  servedBy: row.served_by,
  ...(row.ref !== null && { ref: row.ref }),
});

// A message, with the next id of its conversation. $1 conversation, $2 from, $3 to, $4 text, $5 at,
// $6 served by, $7 ref (or null)
const APPEND = `
  WITH next AS (
    INSERT INTO chat_conversations (conversation, last_id) VALUES ($1, 1)
    ON CONFLICT (conversation) DO UPDATE SET last_id = chat_conversations.last_id + 1
    RETURNING last_id
  )
  INSERT INTO chat_messages (conversation, ${MESSAGE_COLUMNS})
  SELECT $1, last_id, $2, $3, $4, $5, $6, $7 FROM next
  RETURNING id`;

// How many of `other`'s messages to `reader` come after what the reader has read.
// $1 conversation, $2 the other (the sender), $3 the reader
const UNREAD_FROM = `
  SELECT count(*)::int AS unread FROM chat_messages
  WHERE conversation = $1 AND sender = $2
    AND id > COALESCE((SELECT up_to FROM chat_reads WHERE reader = $3 AND other = $2), 0)`;

// KEYS servers of the user, all users; ARGV now, server, claim's end, user → 1 if no server held them
const JOIN = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local held = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[4])
if held == 0 then return 1 end
return 0`;

// KEYS servers of the user, all users; ARGV now, server, user → 1 if no server holds them any more
const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
redis.call('SREM', KEYS[2], ARGV[3])
return 1`;

// Claims that ran out (a server that died). Only the call that removes the last one returns 1,
// so exactly one server tells the others. KEYS servers of the user, all users; ARGV now, user
const SWEEP = `
local gone = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if gone == 0 or redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
redis.call('SREM', KEYS[2], ARGV[2])
return 1`;

// KEYS servers of the user; ARGV now, payload → how many servers it was published to
const DELIVER = `
local servers = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
for _, server in ipairs(servers) do redis.call('PUBLISH', 'chat:to:' .. server, ARGV[2]) end
return #servers`;

export class SharedChatState implements ChatState {
  readonly reach = "any server";
  /** This server's connections per user: it claims a user in Redis while it holds one. */
  private readonly local = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly database: Database,
    private readonly connections: ChatConnections,
    private readonly server: string,
  ) {
    const renew = setInterval(() => void this.renewClaims().catch(() => undefined), RENEW_MS);
    const sweep = setInterval(() => void this.sweepGhosts().catch(() => undefined), SWEEP_MS);
    renew.unref();
    sweep.unref();
    // The intervals end with the connection (a server stopping, a test's instance closed).
    this.redis.once("end", () => {
      clearInterval(renew);
      clearInterval(sweep);
    });
    subscribe(redis, {
      [inbox(server)]: (payload) => {
        const { user, frames } = JSON.parse(payload) as { user: string; frames: ServerFrame[] };
        for (const frame of frames) connections.send(user, frame);
      },
      [ENDED]: (sessionId) => connections.closeSession(sessionId),
    });
  }

  async join(user: string): Promise<boolean> {
    const count = (this.local.get(user) ?? 0) + 1;
    this.local.set(user, count);
    if (count > 1) return false;
    const now = Date.now();
    return (await this.script(JOIN, [serversOf(user), USERS], [now, this.server, now + CLAIM_MS, user])) === 1;
  }

  async leave(user: string): Promise<boolean> {
    const count = (this.local.get(user) ?? 1) - 1;
    if (count > 0) {
      this.local.set(user, count);
      return false;
    }
    this.local.delete(user);
    return (await this.script(LEAVE, [serversOf(user), USERS], [Date.now(), this.server, user])) === 1;
  }

  async online(): Promise<string[]> {
    const users = await storeCall(() => this.redis.sMembers(USERS));
    const now = String(Date.now());
    const counts = await storeCall(() => {
      const batch = this.redis.multi();
      for (const user of users) batch.zCount(serversOf(user), now, "+inf");
      return batch.exec();
    });
    return users.filter((_user, i) => Number(counts[i]) > 0).sort();
  }

  async append(draft: ChatDraft): Promise<{ message: ChatMessage; repeated: boolean; unread: number }> {
    const conversation = conversationOf(draft.from, draft.to);
    const values = [conversation, draft.from, draft.to, draft.text, draft.at, draft.servedBy, draft.ref ?? null];
    await whenPrepared(this.database);
    // Without a ref, one statement: the conversation's row hands out the next id (its row lock
    // orders parallel sends) and the message is written with it. With one, a transaction that
    // first looks for the ref, under a lock per conversation, so that a resend racing its first
    // send finds it. (A hash names the lock: two conversations may share one, and wait.)
    const appended = !draft.ref
      ? { id: (await dbCall(() => this.database.pool.query<{ id: number }>(APPEND, values))).rows[0]!.id }
      : await inTransaction(this.database.pool, async (client) => {
          await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [conversation]);
          const earlier = await sentBefore(client, conversation, draft.from, draft.ref!);
          return earlier ?? { id: (await client.query<{ id: number }>(APPEND, values)).rows[0]!.id };
        });
    const repeated = "from" in appended;
    const message: ChatMessage = repeated ? appended : { id: appended.id, ...draft };
    // Counted once the message is committed: a parallel send's message is counted too.
    const unread = await this.unreadFrom(draft.to, draft.from);
    // A message ends its sender's typing to its recipient.
    if (!repeated) await storeCall(() => this.redis.zRem(typingOf(draft.to), draft.from));
    return { message, repeated, unread };
  }

  async history(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]> {
    await whenPrepared(this.database);
    const { rows } = await dbCall(() =>
      this.database.pool.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [conversationOf(user, other), after, limit],
      ),
    );
    return rows.map(messageOf);
  }

  async markRead(user: string, other: string, upTo: number): Promise<number> {
    await whenPrepared(this.database);
    // Nobody reads past the last message (one written later is unread), nor back.
    await dbCall(() =>
      this.database.pool.query(
        `INSERT INTO chat_reads (reader, other, up_to)
         VALUES ($1, $2, LEAST($3, COALESCE((SELECT last_id FROM chat_conversations WHERE conversation = $4), 0)))
         ON CONFLICT (reader, other) DO UPDATE SET up_to = GREATEST(chat_reads.up_to, EXCLUDED.up_to)`,
        [user, other, upTo, conversationOf(user, other)],
      ),
    );
    return this.unreadFrom(user, other);
  }

  async unread(user: string): Promise<Record<string, number>> {
    await whenPrepared(this.database);
    const { rows } = await dbCall(() =>
      this.database.pool.query<{ sender: string; unread: number }>(
        `SELECT m.sender, count(*)::int AS unread FROM chat_messages m
         LEFT JOIN chat_reads r ON r.reader = m.recipient AND r.other = m.sender
         WHERE m.recipient = $1 AND m.id > COALESCE(r.up_to, 0)
         GROUP BY m.sender`,
        [user],
      ),
    );
    return Object.fromEntries(rows.map(({ sender, unread }) => [sender, unread]));
  }

  async startTyping(from: string, to: string): Promise<void> {
    // A sorted set per recipient, writer → when it runs out; the key goes with the last writer.
    await storeCall(() =>
      this.redis
        .multi()
        .zAdd(typingOf(to), { score: Date.now() + TYPING_MS, value: from })
        .pExpire(typingOf(to), TYPING_MS)
        .exec(),
    );
  }

  async typingTo(user: string): Promise<string[]> {
    const typing = await storeCall(() => this.redis.zRangeByScore(typingOf(user), Date.now(), "+inf"));
    return typing.sort();
  }

  async deliver(user: string, ...frames: ServerFrame[]): Promise<boolean> {
    const payload = JSON.stringify({ user, frames });
    return Number(await this.script(DELIVER, [serversOf(user)], [Date.now(), payload])) > 0;
  }

  async endSession(sessionId: string): Promise<void> {
    await storeCall(() => this.redis.publish(ENDED, sessionId));
  }

  /** This server still holds its users: their claims run on. */
  private async renewClaims(): Promise<void> {
    if (this.local.size === 0) return;
    const until = Date.now() + CLAIM_MS;
    await storeCall(() => {
      const batch = this.redis.multi();
      for (const user of this.local.keys()) batch.zAdd(serversOf(user), { score: until, value: this.server });
      return batch.exec();
    });
  }

  /** Users whose last claim ran out (their server died) went offline: tell whoever is online. */
  private async sweepGhosts(): Promise<void> {
    const users = await storeCall(() => this.redis.sMembers(USERS));
    for (const user of users) {
      if ((await this.script(SWEEP, [serversOf(user), USERS], [Date.now(), user])) !== 1) continue;
      const frame: ServerFrame = { type: "presence", user, online: false };
      for (const other of await this.online()) await this.deliver(other, frame);
    }
  }

  /** How many of `other`'s messages `user` has not read. */
  private async unreadFrom(user: string, other: string): Promise<number> {
    const { rows } = await dbCall(() =>
      this.database.pool.query<{ unread: number }>(UNREAD_FROM, [conversationOf(user, other), other, user]),
    );
    return rows[0]!.unread;
  }

  private script(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return storeCall(() => this.redis.eval(script, { keys, arguments: args.map(String) }));
  }
}

/** The message `from` sent in the conversation with this ref, within REF_KEPT_MS, if any. */
async function sentBefore(
  client: PoolClient,
  conversation: string,
  from: string,
  ref: string,
): Promise<ChatMessage | undefined> {
  const since = new Date(Date.now() - REF_KEPT_MS).toISOString();
  const { rows } = await client.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM chat_messages
     WHERE conversation = $1 AND sender = $2 AND ref = $3 AND at > $4 ORDER BY id DESC LIMIT 1`,
    [conversation, from, ref, since],
  );
  return rows[0] && messageOf(rows[0]);
}
