// The stateful chat: who is online and who is typing, in this process's memory, and a message
// reaches only the sockets this server holds. Bob connected to another server never hears of it,
// and a restart forgets everything. The messages and read marks (`messages`) are in memory too
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

export class InMemoryChatState implements ChatState {
  /** Open connections per user, on this server: presence as far as it knows. */
  private readonly connected = new Map<string, number>();
  /** `writer>reader`: when the writer's "typing" to the reader runs out. */
  private readonly typingUntil = new Map<string, number>();

  constructor(
    private readonly messages: ChatHistory,
    private readonly connections: ChatConnections,
    /** This server: as far as a message reaches. */
    readonly reach: string,
  ) {}

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
    const appended = await this.messages.append(draft);
    // A message ends its sender's typing to its recipient.
    if (!appended.repeated) this.typingUntil.delete(`${draft.from}>${draft.to}`);
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
}
