// The chat's rules, apart from any transport: which frames a client may send, what a message's
// text may be, and what the service does with them over a ChatState (here one in memory, as a
// single server would hold it).
import fc from "fast-check";
import {
  ChatService,
  chatText,
  conversationOf,
  MAX_FRAME_BYTES,
  MAX_TEXT_CHARS,
  parseClientFrame,
  type ChatDraft,
  type ChatMessage,
  type ChatState,
  type ServerFrame,
} from "../src";

const frame = (value: unknown) => parseClientFrame(JSON.stringify(value), false, "alice");
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return "accepted";
};

describe("a client's frame", () => {
  it("is one of send, typing and read", () => {
    expect(frame({ type: "send", to: "bob", text: " hi " })).toEqual({ type: "send", to: "bob", text: "hi" });
    const withRef = { type: "send", to: "bob", text: "hi", ref: "c4-1_x" };
    expect(frame(withRef)).toEqual(withRef);
    expect(frame({ type: "typing", to: "bob" })).toEqual({ type: "typing", to: "bob" });
    expect(frame({ type: "read", with: "bob", upTo: 3 })).toEqual({ type: "read", with: "bob", upTo: 3 });
  });

  it("is refused, with a code, when it is binary, too large, not JSON or not a frame", () => {
    expect(refusal(() => parseClientFrame(Buffer.from("{}"), true, "alice"))).toBe("BINARY_FRAME");
    const large = JSON.stringify({ type: "send", to: "bob", text: "é".repeat(MAX_FRAME_BYTES / 2) });
    expect(refusal(() => parseClientFrame(large, false, "alice"))).toBe("FRAME_TOO_LARGE");
    expect(refusal(() => parseClientFrame("{not json", false, "alice"))).toBe("NOT_JSON");
    expect(refusal(() => frame({ type: "shout", to: "bob" }))).toBe("INVALID_FRAME");
    expect(refusal(() => frame({ type: "read", with: "bob", upTo: -1 }))).toBe("INVALID_FRAME");
    expect(refusal(() => frame([]))).toBe("INVALID_FRAME");
    expect(refusal(() => frame({ type: "send", to: "bob", text: "hi", ref: "a b" }))).toBe("INVALID_FRAME");
    expect(refusal(() => frame({ type: "send", to: "bob", text: "hi", ref: "r".repeat(65) }))).toBe("INVALID_FRAME");
  });

  it("may not say who sends it: a `from` is refused, never believed", () => {
    expect(refusal(() => frame({ type: "send", from: "bob", to: "bob", text: "hi" }))).toBe("INVALID_FRAME");
  });

  it("names another known user", () => {
    expect(refusal(() => frame({ type: "send", to: "mallory", text: "hi" }))).toBe("UNKNOWN_USER");
    expect(refusal(() => frame({ type: "typing", to: "alice" }))).toBe("UNKNOWN_USER");
    expect(refusal(() => frame({ type: "read", with: "__proto__", upTo: 1 }))).toBe("UNKNOWN_USER");
  });
});

describe("a message's text", () => {
  it(`holds 1 to ${MAX_TEXT_CHARS} characters that say something, trimmed`, () => {
    expect(chatText("  Pizza tonight?\n")).toBe("Pizza tonight?");
    expect(chatText("🍕".repeat(MAX_TEXT_CHARS))).toHaveLength(2 * MAX_TEXT_CHARS); // characters, not UTF-16 units
    expect(chatText("<b>bold</b>")).toBe("<b>bold</b>"); // kept as text: showing it is the page's job
    for (const empty of ["", "   ", "\n\t", "\u200B\u200D", "\u202E "])
      expect(refusal(() => chatText(empty))).toBe("INVALID_TEXT");
    expect(refusal(() => chatText("a".repeat(MAX_TEXT_CHARS + 1)))).toBe("INVALID_TEXT");
    expect(refusal(() => chatText("bell\u0007"))).toBe("INVALID_TEXT");
  });

  it("is kept as it was accepted: checking it again changes nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 1200 }), (text) => {
        let kept: string;
        try {
          kept = chatText(text);
        } catch {
          return;
        }
        expect(chatText(kept)).toBe(kept);
        expect([...kept].length).toBeGreaterThanOrEqual(1);
        expect([...kept].length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
      }),
    );
  });
});

/** One server's chat state in memory, with each user's connections as lists of the frames they got. */
class OneServerChat implements ChatState {
  readonly reach = "server-1";
  readonly inbox = new Map<string, ServerFrame[]>();
  private readonly connections = new Map<string, number>();
  private readonly messages = new Map<string, ChatMessage[]>();
  private readonly readUpTo = new Map<string, number>();
  /** `writer>reader`; expiry is the stores' business (tested in each app). */
  private readonly typing = new Set<string>();

  async join(user: string) {
    this.connections.set(user, (this.connections.get(user) ?? 0) + 1);
    return this.connections.get(user) === 1;
  }
  async leave(user: string) {
    const left = (this.connections.get(user) ?? 1) - 1;
    if (left > 0) this.connections.set(user, left);
    else this.connections.delete(user);
    return left === 0;
  }
  async online() {
    return [...this.connections.keys()].sort();
  }
  async append(draft: ChatDraft) {
    const conversation = this.messages.get(conversationOf(draft.from, draft.to)) ?? [];
    const earlier = conversation.find(({ from, ref }) => draft.ref && from === draft.from && ref === draft.ref);
    if (earlier) return { message: earlier, repeated: true, unread: (await this.unread(draft.to))[draft.from] ?? 0 };
    const message = { id: conversation.length + 1, ...draft };
    this.messages.set(conversationOf(draft.from, draft.to), [...conversation, message]);
    this.typing.delete(`${draft.from}>${draft.to}`);
    return { message, repeated: false, unread: (await this.unread(draft.to))[draft.from] ?? 0 };
  }
  async startTyping(from: string, to: string) {
    this.typing.add(`${from}>${to}`);
  }
  async typingTo(user: string) {
    return [...this.typing].filter((key) => key.endsWith(`>${user}`)).map((key) => key.split(">")[0]!);
  }
  async history(user: string, other: string, after: number, limit: number) {
    return (this.messages.get(conversationOf(user, other)) ?? []).filter(({ id }) => id > after).slice(0, limit);
  }
  async markRead(user: string, other: string, upTo: number) {
    const key = `${user}<${other}`;
    this.readUpTo.set(key, Math.max(this.readUpTo.get(key) ?? 0, upTo));
    return (await this.unread(user))[other] ?? 0;
  }
  async unread(user: string) {
    const counts: Record<string, number> = {};
    for (const messages of this.messages.values())
      for (const { id, from, to } of messages)
        if (to === user && id > (this.readUpTo.get(`${user}<${from}`) ?? 0)) counts[from] = (counts[from] ?? 0) + 1;
    return counts;
  }
  async endSession() {}
  async deliver(user: string, ...frames: ServerFrame[]) {
    if (!this.connections.has(user)) return false;
    this.inbox.set(user, [...(this.inbox.get(user) ?? []), ...frames]);
    return true;
  }
}

describe("the chat service", () => {
  const AT = new Date("2026-11-28T12:00:00Z");
  let state: OneServerChat;
  let chat: ChatService;
  const got = (user: string) => state.inbox.get(user) ?? [];
  beforeEach(() => {
    state = new OneServerChat();
    chat = new ChatService(state, "server-1", () => AT);
  });

  it("delivers Alice's message to Bob, counts it unread, and shows it on Alice's own connections", async () => {
    await chat.connected("alice");
    await chat.connected("bob");
    const back = await chat.receive("alice", { type: "send", to: "bob", text: "Pizza tonight?" });
    const message = { type: "message", id: 1, from: "alice", to: "bob", text: "Pizza tonight?" };
    const sent = { ...message, at: AT.toISOString(), servedBy: "server-1" };
    expect(back).toEqual([]);
    expect(got("bob")).toEqual([sent, { type: "unread", from: "alice", count: 1 }]);
    expect(got("alice")).toEqual([{ type: "presence", user: "bob", online: true }, sent]);

    await chat.receive("bob", { type: "read", with: "alice", upTo: 1 });
    expect(got("bob").at(-1)).toEqual({ type: "unread", from: "alice", count: 0 });
    expect(await chat.unread("bob")).toEqual({});
  });

  it("tells Alice when Bob holds no connection it can reach; Bob finds the message when he connects", async () => {
    await chat.connected("alice");
    const back = await chat.receive("alice", { type: "send", to: "bob", text: "Still there?" });
    expect(back).toEqual([
      {
        type: "error",
        code: "NOT_DELIVERED",
        message: "bob is not connected to server-1; bob will see it on connecting to server-1",
      },
    ]);
    expect(await chat.connected("bob")).toEqual([
      { type: "presence", user: "alice", online: true },
      { type: "unread", from: "alice", count: 1 },
    ]);
    expect((await chat.history("bob", "alice")).map(({ text }) => text)).toEqual(["Still there?"]);
  });

  it("says a user is online at their first connection and offline after their last", async () => {
    await chat.connected("bob");
    await chat.connected("alice");
    await chat.connected("alice");
    await chat.disconnected("alice");
    expect(got("bob")).toEqual([{ type: "presence", user: "alice", online: true }]);
    await chat.disconnected("alice");
    expect(got("bob").at(-1)).toEqual({ type: "presence", user: "alice", online: false });
    expect(await chat.online()).toEqual(["bob"]);
  });

  it("orders a conversation's messages, whoever writes, and pages them after an id", async () => {
    for (const [from, to] of [
      ["alice", "bob"],
      ["bob", "alice"],
      ["alice", "bob"],
    ] as const)
      await chat.receive(from, { type: "send", to, text: `from ${from}` });
    const all = await chat.history("alice", "bob");
    expect(all.map(({ id, from }) => [id, from])).toEqual([
      [1, "alice"],
      [2, "bob"],
      [3, "alice"],
    ]);
    expect((await chat.history("bob", "alice", 2)).map(({ id }) => id)).toEqual([3]);
  });

  it("relays typing to the other user only, and ends it when the message comes", async () => {
    await chat.connected("alice");
    await chat.connected("bob");
    await chat.receive("alice", { type: "typing", to: "bob" });
    expect(got("bob")).toEqual([{ type: "typing", from: "alice" }]);
    expect(got("alice")).toEqual([{ type: "presence", user: "bob", online: true }]);
    expect(await chat.typingTo("bob")).toEqual(["alice"]);
    expect(await chat.typingTo("alice")).toEqual([]);
    await chat.receive("alice", { type: "send", to: "bob", text: "Here it is" });
    expect(await chat.typingTo("bob")).toEqual([]);
  });

  it("tells a user who connects who is typing to them", async () => {
    await chat.connected("alice");
    await chat.receive("alice", { type: "typing", to: "bob" });
    expect(await chat.connected("bob")).toEqual([
      { type: "presence", user: "alice", online: true },
      { type: "typing", from: "alice" },
    ]);
  });

  it("takes a message sent again with the same ref once: the resend gets the first one back", async () => {
    await chat.connected("alice");
    await chat.connected("bob");
    const first = await chat.receive("alice", { type: "send", to: "bob", text: "Once", ref: "r-1" });
    expect(first).toEqual([]);
    const again = await chat.receive("alice", { type: "send", to: "bob", text: "Once", ref: "r-1" });
    const message = { type: "message", id: 1, from: "alice", to: "bob", text: "Once", ref: "r-1" };
    expect(again).toEqual([expect.objectContaining(message)]);
    expect(got("bob").filter(({ type }) => type === "message")).toHaveLength(1);
    expect(await chat.unread("bob")).toEqual({ alice: 1 });
    // The same ref from someone else, or another ref, or to someone else, is another message.
    await chat.receive("bob", { type: "send", to: "alice", text: "Once", ref: "r-1" });
    await chat.receive("alice", { type: "send", to: "bob", text: "Once", ref: "r-2" });
    expect((await chat.history("alice", "bob")).map(({ id }) => id)).toEqual([1, 2, 3]);
    await chat.receive("alice", { type: "send", to: "carol", text: "Once", ref: "r-1" });
    expect((await chat.history("alice", "carol")).map(({ id }) => id)).toEqual([1]);
  });
});
