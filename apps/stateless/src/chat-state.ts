// The stateless chat. The connections stay on the server that holds them (a socket cannot move);
// everything else lives in Redis, where every server sees it:
//  - which servers hold each user: a sorted set per user, server → when its claim runs out,
//    renewed every second, so a killed server leaves no ghost (its claims run out, and whichever
//    server notices first tells everyone the user went offline);
//  - each conversation as a Redis Stream with ids from a counter (ordered), trimmed to the last
//    1,000 messages: the log a client resumes from after reconnecting to any server;
//  - unread counts, how far each user has read, who is typing to whom (expiring by itself), and
//    the refs senders gave their messages (so a resend after a lost connection is not a copy);
//  - routing: a frame for a user is published on the channel of each server that holds them
//    (pub/sub, as the textbook routes it). Pub/sub loses what is published while a server is down;
//    the log closes that gap.
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
import { storeCall, subscribe, type RedisClient } from "@cart/redis-kit";

const CLAIM_MS = 3000;
const RENEW_MS = 1000;
const SWEEP_MS = 1000;
const KEPT_PER_CONVERSATION = 1000;

const USERS = "chat:users";
const ENDED = "chat:ended";
const serversOf = (user: string) => `chat:servers:${user}`;
const inbox = (server: string) => `chat:to:${server}`;
const sequence = (conversation: string) => `chat:seq:${conversation}`;
const log = (conversation: string) => `chat:log:${conversation}`;
const unreadOf = (user: string) => `chat:unread:${user}`;
const readOf = (user: string) => `chat:read:${user}`;
const typingOf = (user: string) => `chat:typing:${user}`;
const refOf = (conversation: string, from: string, ref: string) => `chat:ref:${conversation}:${from}:${ref}`;

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

// KEYS sequence, log, unread of the recipient, typing to the recipient, the ref's key (when there
// is a ref); ARGV from, to, text, at, servedBy, kept, ref or '', how long a ref is kept
// → {id, 1 if the ref was used before (nothing appended) or 0, the recipient's unread count from the sender}
const APPEND = `
if ARGV[7] ~= '' then
  local earlier = redis.call('GET', KEYS[5])
  if earlier then return {tonumber(earlier), 1, tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')} end
end
local id = redis.call('INCR', KEYS[1])
local fields = {'from', ARGV[1], 'to', ARGV[2], 'text', ARGV[3], 'at', ARGV[4], 'servedBy', ARGV[5]}
if ARGV[7] ~= '' then
  table.insert(fields, 'ref')
  table.insert(fields, ARGV[7])
  redis.call('SET', KEYS[5], id, 'PX', ARGV[8])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], id .. '-0', unpack(fields))
local unread = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('ZREM', KEYS[4], ARGV[1])
return {id, 0, unread}`;

// What is unread is what the other wrote after what was read; nobody reads past the last message.
// KEYS read of the user, unread of the user, log, sequence; ARGV other, upTo → how many remain
const READ = `
local last = tonumber(redis.call('GET', KEYS[4]) or '0')
local upTo = math.max(tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0'), math.min(tonumber(ARGV[2]), last))
redis.call('HSET', KEYS[1], ARGV[1], upTo)
local left = 0
for _, entry in ipairs(redis.call('XRANGE', KEYS[3], (upTo + 1) .. '-0', '+')) do
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'from' and fields[i + 1] == ARGV[1] then left = left + 1 end
  end
end
if left == 0 then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], ARGV[1], left) end
return left`;

export class RedisChatState implements ChatState {
  readonly reach = "any server";
  /** This server's connections per user: it claims a user in Redis while it holds one. */
  private readonly local = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
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
    const { from, to, text, at, servedBy, ref = "" } = draft;
    const keys = [sequence(conversation), log(conversation), unreadOf(to), typingOf(to)];
    if (ref) keys.push(refOf(conversation, from, ref));
    const args = [from, to, text, at, servedBy, KEPT_PER_CONVERSATION, ref, REF_KEPT_MS];
    const [id, repeated, unread] = (await this.script(APPEND, keys, args)) as [number, number, number];
    if (!repeated) return { message: { id, ...draft }, repeated: false, unread };
    // The message that ref named, from the log (or, trimmed from it since, as the resend has it).
    const [earlier] = await this.entries(conversation, id, id, 1);
    return { message: earlier ?? { id, ...draft }, repeated: true, unread };
  }

  history(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]> {
    return this.entries(conversationOf(user, other), after + 1, "+", limit);
  }

  async markRead(user: string, other: string, upTo: number): Promise<number> {
    const conversation = conversationOf(user, other);
    const keys = [readOf(user), unreadOf(user), log(conversation), sequence(conversation)];
    return Number(await this.script(READ, keys, [other, upTo]));
  }

  async unread(user: string): Promise<Record<string, number>> {
    const counts = await storeCall(() => this.redis.hGetAll(unreadOf(user)));
    return Object.fromEntries(
      Object.entries(counts)
        .map(([from, count]) => [from, Number(count)] as const)
        .filter(([, count]) => count > 0),
    );
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

  /** Messages of a conversation's log from id `first` to `last` ("+": the end), at most `limit`. */
  private async entries(
    conversation: string,
    first: number,
    last: number | "+",
    limit: number,
  ): Promise<ChatMessage[]> {
    const end = last === "+" ? last : `${last}-0`;
    const entries = await storeCall(() => this.redis.xRange(log(conversation), `${first}-0`, end, { COUNT: limit }));
    return (entries ?? []).map(({ id, message }) => ({
      id: Number(id.split("-")[0]),
      from: String(message.from),
      to: String(message.to),
      text: String(message.text),
      at: String(message.at),
      servedBy: String(message.servedBy),
      ...(message.ref !== undefined && { ref: String(message.ref) }),
    }));
  }

  private script(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    return storeCall(() => this.redis.eval(script, { keys, arguments: args.map(String) }));
  }
}
