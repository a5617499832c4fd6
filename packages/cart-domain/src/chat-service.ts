// What the chat does with a user's connection and frames, over whichever ChatState an app passes
// in. The same rules on both apps; only where the state lives, and how far `deliver` reaches,
// differ. The caller has checked the frame (parseClientFrame) and knows the user from the
// identity: `from` is never taken from a frame.
import { HISTORY_PAGE, type ChatMessage, type ClientFrame, type ServerFrame } from "./chat";
import type { ChatDraft, ChatState } from "./ports";

export class ChatService {
  constructor(
    private readonly state: ChatState,
    /** The server this service runs on (a message's `servedBy`). */
    private readonly serverId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A new connection of `user`: the others learn that they are online; they learn who is, and
   * what they have not read. Resolves with the frames for the new connection.
   */
  async connected(user: string): Promise<ServerFrame[]> {
    const first = await this.state.join(user);
    const online = await this.state.online();
    if (first) await this.tellOthers(online, user, presence(user, true));
    const [unread, typing] = await Promise.all([this.state.unread(user), this.state.typingTo(user)]);
    return [
      ...online.filter((other) => other !== user).map((other) => presence(other, true)),
      ...Object.entries(unread).map(([from, count]): ServerFrame => ({ type: "unread", from, count })),
      ...typing.map((from): ServerFrame => ({ type: "typing", from })),
    ];
  }

  /** One of `user`'s connections closed: once none is left, the others learn they are offline. */
  async disconnected(user: string): Promise<void> {
    if (await this.state.leave(user)) await this.tellOthers(await this.state.online(), user, presence(user, false));
  }

  /** Acts on a checked frame from `user`; resolves with the frames for the connection it came on. */
  async receive(user: string, frame: ClientFrame): Promise<ServerFrame[]> {
    switch (frame.type) {
      case "send":
        return this.send({ from: user, to: frame.to, text: frame.text, ...(frame.ref && { ref: frame.ref }) });
      case "typing":
        await this.state.startTyping(user, frame.to);
        await this.state.deliver(frame.to, { type: "typing", from: user });
        return [];
      case "read": {
        const count = await this.state.markRead(user, frame.with, frame.upTo);
        // Every connection of the reader, here or elsewhere, shows the same count.
        await this.state.deliver(user, { type: "unread", from: frame.with, count });
        return [];
      }
    }
  }

  /** `GET /chat/history?with=&after=`: a page of the conversation of `user` and `other`. */
  history(user: string, other: string, after = 0): Promise<ChatMessage[]> {
    return this.state.history(user, other, after, HISTORY_PAGE);
  }

  /** A session has ended (logout): its connections close, on every server that holds one. */
  sessionEnded(sessionId: string): Promise<void> {
    return this.state.endSession(sessionId);
  }

  online(): Promise<string[]> {
    return this.state.online();
  }

  unread(user: string): Promise<Record<string, number>> {
    return this.state.unread(user);
  }

  /** `GET /chat/typing`: who is typing to `user` now. */
  typingTo(user: string): Promise<string[]> {
    return this.state.typingTo(user);
  }

  private async send(draft: Pick<ChatDraft, "from" | "to" | "text" | "ref">): Promise<ServerFrame[]> {
    const { from, to } = draft;
    const { message, repeated, unread } = await this.state.append({
      ...draft,
      at: this.now().toISOString(),
      servedBy: this.serverId,
    });
    const frame: ServerFrame = { type: "message", ...message };
    // A resend of a message already taken: the sender learns it arrived; nobody gets it twice.
    if (repeated) return [frame];
    // The recipient gets the message and their new count in one trip; the sender's connections all
    // show what they sent, with its id (the one it came on included), at the same time.
    const [delivered] = await Promise.all([
      this.state.deliver(to, frame, { type: "unread", from, count: unread }),
      this.state.deliver(from, frame),
    ]);
    if (delivered) return [];
    const { reach } = this.state;
    const why = `${to} is not connected to ${reach}; ${to} will see it on connecting to ${reach}`;
    return [{ type: "error", code: "NOT_DELIVERED", message: why }];
  }

  private async tellOthers(online: string[], user: string, frame: ServerFrame): Promise<void> {
    await Promise.all(online.filter((other) => other !== user).map((other) => this.state.deliver(other, frame)));
  }
}

const presence = (user: string, online: boolean): ServerFrame => ({ type: "presence", user, online });
