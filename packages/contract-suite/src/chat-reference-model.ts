// The chat as the contract describes it, written as plainly as possible and apart from both apps:
// conversations numbered from 1, a sender's ref naming one message of theirs in a conversation,
// unread counts as what the other wrote after what was read. The chat's model-based test compares
// every answer of the real apps with it.

export const CHAT_USERS = ["alice", "bob", "carol"] as const;
export type ChatUser = (typeof CHAT_USERS)[number];

export interface ModelMessage {
  readonly id: number;
  readonly from: ChatUser;
  readonly to: ChatUser;
  readonly text: string;
  readonly ref?: string;
}

const PAGE = 50;

export class ChatModel {
  private readonly conversations = new Map<string, ModelMessage[]>();
  /** `reader<sender`: the highest id the reader has marked read. */
  private readonly readUpTo = new Map<string, number>();

  send(from: ChatUser, to: ChatUser, text: string, ref?: string): { message: ModelMessage; repeated: boolean } {
    const messages = this.conversation(from, to);
    const earlier = ref === undefined ? undefined : messages.find((m) => m.from === from && m.ref === ref);
    if (earlier) return { message: earlier, repeated: true };
    const message: ModelMessage = { id: messages.length + 1, from, to, text, ...(ref !== undefined && { ref }) };
    messages.push(message);
    return { message, repeated: false };
  }

  /** Marks `other`'s messages to `user` read up to `upTo` (no further than the last): how many remain unread. */
  markRead(user: ChatUser, other: ChatUser, upTo: number): number {
    const key = `${user}<${other}`;
    const read = Math.min(upTo, this.lastId(user, other));
    this.readUpTo.set(key, Math.max(this.readUpTo.get(key) ?? 0, read));
    return this.unreadFrom(user, other);
  }

  unread(user: ChatUser): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const other of CHAT_USERS) {
      const count = other === user ? 0 : this.unreadFrom(user, other);
      if (count > 0) counts[other] = count;
    }
    return counts;
  }

  history(user: ChatUser, other: ChatUser, after: number): ModelMessage[] {
    return this.conversation(user, other)
      .filter(({ id }) => id > after)
      .slice(0, PAGE);
  }

  /** Every message `from` sent to `user`, in order. */
  sentTo(user: ChatUser, from: ChatUser): ModelMessage[] {
    return this.conversation(user, from).filter((message) => message.from === from);
  }

  lastId(a: ChatUser, b: ChatUser): number {
    return this.conversation(a, b).length;
  }

  private unreadFrom(user: ChatUser, other: ChatUser): number {
    const read = this.readUpTo.get(`${user}<${other}`) ?? 0;
    return this.conversation(user, other).filter(({ from, id }) => from === other && id > read).length;
  }

  private conversation(a: ChatUser, b: ChatUser): ModelMessage[] {
    const key = [a, b].sort().join(":");
    const messages = this.conversations.get(key) ?? [];
    this.conversations.set(key, messages);
    return messages;
  }
}
