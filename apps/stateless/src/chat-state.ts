// The stateless chat. The connections stay on the server that holds them (a socket cannot move);
// everything else lives where every server sees it. What is temporary is in Redis:
//  - which servers hold each user: a sorted set per user, server → when its claim runs out,
//    renewed every second, so a killed server leaves no ghost (its claims run out, and whichever
//    server notices first tells everyone the user went offline). When Redis comes back from an
//    outage, every claim has run out because no server could renew it, not because its server
//    died: each server renews its own at once, and sweeps none for a claim's length, by which time
//    only a dead server's are left to sweep, and until then a claim from before the outage counts;
//  - who is typing to whom, expiring by itself;
//  - routing: a frame for a user is published on the channel of each server that holds them
//    (pub/sub, as the textbook routes it). Pub/sub loses what is published while a server is down;
//    the history closes that gap.
// What must last, the messages and how far each user has read (`messages`), is in PostgreSQL
// (chat-history.ts).
import {
  TYPING_MS,
  type ChatDraft,
  type ChatHistory,
  type ChatMessage,
  type ChatState,
  type ServerFrame,
} from "@cart/domain";
import type { ChatConnections } from "@cart/http-kit";
import { everyWhileOpen, runScript, storeCall, subscribe, type RedisClient } from "@cart/redis-kit";

const CLAIM_MS = 3000;
const RENEW_MS = 1000;
const SWEEP_MS = 1000;

const USERS = "chat:users";
const ENDED = "chat:ended";
const serversOf = (user: string) => `chat:servers:${user}`;
const inbox = (server: string) => `chat:to:${server}`;
const typingOf = (user: string) => `chat:typing:${user}`;

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

// KEYS all users; ARGV now, the prefix of each user's servers → the users some server still holds.
// The users are known only once the set is read, so their keys are made in the script.
const ONLINE = `
local online = {}
for _, user in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('ZCOUNT', ARGV[2] .. user, ARGV[1], '+inf') > 0 then table.insert(online, user) end
end
return online`;

// KEYS servers of the user; ARGV now, payload → how many servers it was published to
const DELIVER = `
local servers = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
for _, server in ipairs(servers) do redis.call('PUBLISH', 'chat:to:' .. server, ARGV[2]) end
return #servers`;

export class SharedChatState implements ChatState {
  readonly reach = "any server";
  // state-audit: per-server: this server's sockets per user (it claims the user in Redis while it holds one)
  private readonly local = new Map<string, number>();
  /** No sweep before this (ms since the epoch): the servers renew their claims after an outage. */
  private sweepFrom = 0;
  /** Since when Redis is away; after, when the last outage began: claims since count until sweeps resume. */
  private awaySince?: number;
  private outageBegan?: number;
  private readonly claimsLiveSince = (now = Date.now()) =>
    this.outageBegan !== undefined && now < this.sweepFrom ? Math.min(now, this.outageBegan) : now;

  constructor(
    private readonly redis: RedisClient,
    private readonly messages: ChatHistory,
    private readonly connections: ChatConnections,
    private readonly server: string,
  ) {
    everyWhileOpen(redis, RENEW_MS, () => this.renewClaims());
    everyWhileOpen(redis, SWEEP_MS, () => this.sweepGhosts());
    redis.on("error", () => (this.awaySince ??= Date.now()));
    redis.on("ready", () => {
      this.sweepFrom = Date.now() + CLAIM_MS;
      this.outageBegan = this.awaySince;
      this.awaySince = undefined;
      void this.renewClaims().catch(() => undefined);
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
    return (
      (await runScript(this.redis, JOIN, [serversOf(user), USERS], [now, this.server, now + CLAIM_MS, user])) === 1
    );
  }

  async leave(user: string): Promise<boolean> {
    const count = (this.local.get(user) ?? 1) - 1;
    if (count > 0) {
      this.local.set(user, count);
      return false;
    }
    this.local.delete(user);
    return (await runScript(this.redis, LEAVE, [serversOf(user), USERS], [Date.now(), this.server, user])) === 1;
  }

  async online(): Promise<string[]> {
    const online = (await runScript(this.redis, ONLINE, [USERS], [this.claimsLiveSince(), serversOf("")])) as string[];
    return online.sort();
  }

  async append(draft: ChatDraft): Promise<{ message: ChatMessage; repeated: boolean; unread: number }> {
    const appended = await this.messages.append(draft);
    // A message ends its sender's typing to its recipient.
    if (!appended.repeated) await storeCall(() => this.redis.zRem(typingOf(draft.to), draft.from));
    return appended;
  }

  history(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]> {
    return this.messages.page(user, other, after, limit);
  }

  markRead(user: string, other: string, upTo: number): Promise<number> {
    return this.messages.markRead(user, other, upTo);
  }

  unread(user: string): Promise<Record<string, number>> {
    return this.messages.unread(user);
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
    return Number(await runScript(this.redis, DELIVER, [serversOf(user)], [this.claimsLiveSince(), payload])) > 0;
  }

  async endSession(sessionId: string): Promise<void> {
    await storeCall(() => this.redis.publish(ENDED, sessionId));
  }

  /** This server still holds its users: their claims run on (and they are listed, should a sweep have taken them). */
  private async renewClaims(): Promise<void> {
    if (this.local.size === 0) return;
    const until = Date.now() + CLAIM_MS;
    await storeCall(() => {
      const batch = this.redis.multi();
      for (const user of this.local.keys())
        batch.zAdd(serversOf(user), { score: until, value: this.server }).sAdd(USERS, user);
      return batch.exec();
    });
  }

  /** Users whose last claim ran out (their server died) went offline: tell whoever is online. */
  private async sweepGhosts(): Promise<void> {
    if (Date.now() < this.sweepFrom) return;
    const users = await storeCall(() => this.redis.sMembers(USERS));
    for (const user of users) {
      if ((await runScript(this.redis, SWEEP, [serversOf(user), USERS], [Date.now(), user])) !== 1) continue;
      const frame: ServerFrame = { type: "presence", user, online: false };
      for (const other of await this.online()) await this.deliver(other, frame);
    }
  }
}
