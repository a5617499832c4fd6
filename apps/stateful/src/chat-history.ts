// The stateful chat's history, in this process's memory like everything else of its chat: every
// message of every conversation (the history a client resumes from after reconnecting, to this
// server only), with its id in its conversation and the ref its sender gave it (so a resend after
// a lost connection is not a copy), and how far each user has read each other's messages (the
// unread counts). chat-state.ts keeps the rest of the chat. A restart forgets all of it.
import { conversationOf, REF_KEPT_MS, type ChatDraft, type ChatHistory, type ChatMessage } from "@cart/domain";

/** Messages kept per conversation: memory is bounded, the oldest go first. */
const KEPT_PER_CONVERSATION = 1000;

export class InMemoryChatHistory implements ChatHistory {
  private readonly conversations = new Map<string, { lastId: number; messages: ChatMessage[] }>();
  /** `reader<sender`: the last id of the sender's messages the reader has read. */
  private readonly readUpTo = new Map<string, number>();

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
    return { message, repeated: false, unread: this.unreadFrom(draft.to, draft.from) };
  }

  async page(user: string, other: string, after: number, limit: number): Promise<ChatMessage[]> {
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

  /** How many of `other`'s messages `user` has not read. */
  private unreadFrom(user: string, other: string): number {
    const read = this.readUpTo.get(`${user}<${other}`) ?? 0;
    const messages = this.conversations.get(conversationOf(user, other))?.messages ?? [];
    return messages.filter(({ id, from }) => from === other && id > read).length;
  }
}
