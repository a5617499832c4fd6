// The stateful chat: who is online, every conversation, unread counts, all in this process's
// memory, and a message reaches only the sockets this server holds. Bob connected to another
// server never hears of it, and a restart forgets everything.
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

/** Messages kept per conversation: memory is bounded, the oldest go first. */
const KEPT_PER_CONVERSATION = 1000;

export class InMemoryChatState implements ChatState {
  private readonly conversations = new Map<string, { lastId: number; messages: ChatMessage[] }>();
  /** `reader<sender`: the last id of the sender's messages the reader has read. */
  private readonly readUpTo = new Map<string, number>();
  /** `writer>reader`: when the writer's "typing" to the reader runs out. */
  private readonly typingUntil = new Map<string, number>();

  constructor(
    private readonly connections: ChatConnections,
    /** This server: as far as a message reaches. */
    readonly reach: string,
  ) {}

  /** Open connections per user, on this server: presence as far as it knows. */
  private readonly connected = new Map<string, number>();

  async join(user: string): Promise<boolean> {
    const count = (this.connected.get(user) ?? 0) + 1;
    this.connected.set(user, count);
    return count === 1;
  }

  async leave(user: string): Promise<boolean> {
    const count = (this.connected.get(user) ?? 1) - 1;
    if (count > 0) this.connected.set(user, count);
    else this.connected.delete(user);
    return count === 0;
  }

  async online(): Promise<string[]> {
    return [...this.connected.keys()].sort();
  }

  async append(draft: ChatDraft): Promise<{ message: ChatMessage; repeated: boolean; unread: number }> {
    const key = conversationOf(draft.from, draft.to);
    const conversation = this.conversations.get(key) ?? { lastId: 0, messages: [] };
    // A ref is remembered for REF_KEPT_MS, as long as its message is kept.
    const since = new Date(Date.now() - REF_KEPT_MS).toISOString();
    const earlier =
      draft.ref &&
      conversation.messages.find(({ from, ref, at }) => from === draft.from && ref === draft.ref && at > since);
    if (earlier) return { message: earlier, repeated: true, unread: this.unreadFrom(draft.to, draft.from) };
    const message = { id: conversation.lastId + 1, ...draft };
    conversation.lastId = message.id;
    conversation.messages = [...conversation.messages, message].slice(-KEPT_PER_CONVERSATION);
    this.conversations.set(key, conversation);
    this.typingUntil.delete(`${draft.from}>${draft.to}`);
    return { message, repeated: false, unread: this.unreadFrom(draft.to, draft.from) };
  }

  async history(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]> {
    const messages = this.conversations.get(conversationOf(user, other))?.messages ?? [];
    return messages.filter(({ id }) => id > after).slice(0, limit);
  }

  async markRead(user: string, other: string, upTo: number): Promise<number> {
    const key = `${user}<${other}`;
    // Nobody reads past the last message: one written later is unread.
    const last = this.conversations.get(conversationOf(user, other))?.lastId ?? 0;
    this.readUpTo.set(key, Math.max(this.readUpTo.get(key) ?? 0, Math.min(upTo, last)));
    return this.unreadFrom(user, other);
  }

  async unread(user: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const key of this.conversations.keys()) {
      const [a, b] = key.split(":") as [string, string];
      const other = a === user ? b : b === user ? a : undefined;
      const count = other === undefined ? 0 : this.unreadFrom(user, other);
      if (other !== undefined && count > 0) counts[other] = count;
    }
    return counts;
  }

  async startTyping(from: string, to: string): Promise<void> {
    this.typingUntil.set(`${from}>${to}`, Date.now() + TYPING_MS);
  }

  async typingTo(user: string): Promise<string[]> {
    const now = Date.now();
    const typing: string[] = [];
    for (const [key, until] of this.typingUntil) {
      const [from, to] = key.split(">") as [string, string];
      if (until <= now) this.typingUntil.delete(key);
      else if (to === user) typing.push(from);
    }
    return typing.sort();
  }

  async deliver(user: string, ...frames: ServerFrame[]): Promise<boolean> {
    return frames.map((frame) => this.connections.send(user, frame)).some(Boolean);
  }

  async endSession(sessionId: string): Promise<void> {
    this.connections.closeSession(sessionId);
  }

  private unreadFrom(user: string, other: string): number {
    const read = this.readUpTo.get(`${user}<${other}`) ?? 0;
    const messages = this.conversations.get(conversationOf(user, other))?.messages ?? [];
    return messages.filter(({ id, from }) => from === other && id > read).length;
  }
}
