// Model-based testing of the chat: fast-check generates random sequences of chat operations by
// alice, bob and carol (send, with or without a ref, resent or not, valid text or not; read up to
// an id; ask for unread counts and history), runs each over real WebSockets and HTTP against the
// app, each user on an instance of their own where there are several, and against the reference
// model (chat-reference-model.ts), and compares every answer. At the end of each sequence every
// socket must have got exactly the messages sent to its user, each once, in order.
import fc from "fast-check";
import type { ServerFrame } from "@cart/domain";
import type { Server } from "node:http";
import { listening, logIn, openChat, type ChatClient } from "./chat-client";
import { CHAT_USERS, ChatModel, type ChatUser, type ModelMessage } from "./chat-reference-model";
import type { ModelHarness } from "./model-contract";

const RUNS = Number(process.env.MODEL_RUNS ?? 20);
/** What a client types, and what the contract keeps of it (null: refused as INVALID_TEXT). */
const TEXTS: readonly { readonly typed: string; readonly kept: string | null }[] = [
  { typed: "hi", kept: "hi" },
  { typed: "  pizza tonight?  ", kept: "pizza tonight?" },
  { typed: "<b>bold</b>", kept: "<b>bold</b>" },
  { typed: "   ", kept: null },
  { typed: "y".repeat(1001), kept: null },
];

interface User {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly socket: ChatClient;
}

class RealChat {
  constructor(readonly users: Record<ChatUser, User>) {}

  async get(user: ChatUser, path: string): Promise<unknown> {
    const { url, headers } = this.users[user];
    const response = await fetch(`${url}${path}`, { headers });
    expect(response.status).toBe(200);
    return response.json();
  }
}

type Operation = fc.AsyncCommand<ChatModel, RealChat>;

/** The next frame `socket` gets after the first `seen` that matches. */
const nextAfter = (socket: ChatClient, seen: number, match: (frame: ServerFrame) => boolean) =>
  socket.next((frame) => socket.frames.indexOf(frame) >= seen && match(frame));

const fields = ({ id, from, to, text, ref }: ModelMessage) => ({ id, from, to, text, ...(ref && { ref }) });

class Send implements Operation {
  constructor(
    private readonly from: ChatUser,
    private readonly to: ChatUser,
    private readonly text: (typeof TEXTS)[number],
    private readonly ref: string | undefined,
  ) {}

  check = () => true;

  async run(model: ChatModel, real: RealChat): Promise<void> {
    const sender = real.users[this.from].socket;
    const reader = real.users[this.to].socket;
    const [senderSeen, readerSeen] = [sender.frames.length, reader.frames.length];
    sender.send({ type: "send", to: this.to, text: this.text.typed, ...(this.ref && { ref: this.ref }) });
    if (this.from === this.to || this.text.kept === null) {
      const code = this.from === this.to ? "UNKNOWN_USER" : "INVALID_TEXT";
      expect(await nextAfter(sender, senderSeen, (frame) => frame.type === "error")).toMatchObject({ code });
      return;
    }
    const { message, repeated } = model.send(this.from, this.to, this.text.kept, this.ref);
    const echo = await nextAfter(sender, senderSeen, (frame) => frame.type === "message" && frame.from === this.from);
    expect(pick(echo)).toEqual(fields(message));
    if (repeated) return; // nothing reaches the reader again (checked at the end: each message once)
    const got = await nextAfter(reader, readerSeen, (frame) => frame.type === "message" && frame.id === message.id);
    expect(pick(got)).toEqual(fields(message));
    const unread = model.unread(this.to)[this.from] ?? 0;
    await nextAfter(reader, readerSeen, (f) => f.type === "unread" && f.from === this.from && f.count === unread);
  }

  toString(): string {
    const ref = this.ref ? ` ref ${this.ref}` : "";
    return `${this.from} → ${this.to}: send ${JSON.stringify(this.text.typed.slice(0, 20))}${ref}`;
  }
}

class Read implements Operation {
  constructor(
    private readonly user: ChatUser,
    private readonly other: ChatUser,
    private readonly upTo: "all" | number,
  ) {}

  check = () => true;

  async run(model: ChatModel, real: RealChat): Promise<void> {
    if (this.user === this.other) return;
    const upTo = this.upTo === "all" ? model.lastId(this.user, this.other) : this.upTo;
    const socket = real.users[this.user].socket;
    const seen = socket.frames.length;
    socket.send({ type: "read", with: this.other, upTo });
    const count = model.markRead(this.user, this.other, upTo);
    const got = await nextAfter(socket, seen, (frame) => frame.type === "unread" && frame.from === this.other);
    expect(got).toEqual({ type: "unread", from: this.other, count });
  }

  toString(): string {
    return `${this.user}: read ${this.other}'s messages up to ${this.upTo}`;
  }
}

class AskUnread implements Operation {
  constructor(private readonly user: ChatUser) {}

  check = () => true;

  async run(model: ChatModel, real: RealChat): Promise<void> {
    expect(await real.get(this.user, "/chat/unread")).toEqual({ unread: model.unread(this.user) });
  }

  toString(): string {
    return `${this.user}: GET /chat/unread`;
  }
}

class AskHistory implements Operation {
  constructor(
    private readonly user: ChatUser,
    private readonly other: ChatUser,
    private readonly after: number,
  ) {}

  check = () => true;

  async run(model: ChatModel, real: RealChat): Promise<void> {
    if (this.user === this.other) return;
    const { messages } = (await real.get(this.user, `/chat/history?with=${this.other}&after=${this.after}`)) as {
      messages: ServerFrame[];
    };
    expect(messages.map(pick)).toEqual(model.history(this.user, this.other, this.after).map(fields));
  }

  toString(): string {
    return `${this.user}: GET /chat/history?with=${this.other}&after=${this.after}`;
  }
}

/** What the model knows of a message: not when, nor which server took it. */
function pick(frame: ServerFrame | Record<string, unknown>): Record<string, unknown> {
  const { id, from, to, text, ref } = frame as Record<string, unknown>;
  return { id, from, to, text, ...(ref !== undefined && { ref }) };
}

function operation(): fc.Arbitrary<Operation> {
  const user = fc.noBias(fc.constantFrom(...CHAT_USERS));
  const text = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TEXTS.slice(0, 3)) }, fc.constantFrom(...TEXTS));
  // Few refs, so that a resend with one already used comes up often.
  const ref = fc.option(fc.constantFrom("r1", "r2"), { nil: undefined });
  // Small ids, read before and after the messages they name exist.
  const upTo = fc.oneof(fc.constant("all" as const), fc.noBias(fc.integer({ min: 0, max: 3 })));
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(user, user, text, ref).map(([f, t, x, r]) => new Send(f, t, x, r)) },
    { weight: 3, arbitrary: fc.tuple(user, user, upTo).map(([u, o, n]) => new Read(u, o, n)) },
    { weight: 1, arbitrary: user.map((u) => new AskUnread(u)) },
    {
      weight: 1,
      arbitrary: fc.tuple(user, user, fc.integer({ min: 0, max: 4 })).map(([u, o, a]) => new AskHistory(u, o, a)),
    },
  );
}

/** Each user logged in on an instance (in turns), with a chat socket open there. */
async function connect(urls: string[]): Promise<RealChat> {
  const users = {} as Record<ChatUser, User>;
  for (const [i, name] of CHAT_USERS.entries()) {
    const url = urls[i % urls.length]!;
    const headers = await logIn(url, name);
    users[name] = { url, headers, socket: await openChat(url, headers) };
  }
  return new RealChat(users);
}

/** Every socket got each message sent to its user exactly once, in order, whoever sent it. */
async function expectEachMessageOnce(model: ChatModel, real: RealChat): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50)); // a late duplicate would show by now
  for (const user of CHAT_USERS) {
    for (const from of CHAT_USERS.filter((other) => other !== user)) {
      const got = real.users[user].socket.frames.filter((frame) => frame.type === "message" && frame.from === from);
      expect(got.map(pick)).toEqual(model.sentTo(user, from).map(fields));
    }
  }
}

export function describeChatModelContract(harness: Pick<ModelHarness, "name" | "fresh">): void {
  describe(`the ${harness.name} app's chat against the reference model`, () => {
    it(`agrees with it on every frame and answer of ${RUNS} random sequences of chat operations`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands([operation()], { maxCommands: 30, size: "large" }), async (commands) => {
          const servers: Server[] = [];
          let real: RealChat | undefined;
          try {
            const apps = await harness.fresh();
            const urls: string[] = [];
            for (const [i, app] of apps.entries()) {
              const { url, server } = await listening(app, `${harness.name}-${i + 1}`);
              servers.push(server);
              urls.push(url);
            }
            real = await connect(urls);
            const model = new ChatModel();
            const shared = real;
            await fc.asyncModelRun(() => ({ model, real: shared }), commands);
            await expectEachMessageOnce(model, shared);
          } finally {
            const sockets = Object.values(real?.users ?? {}).map(({ socket }) => socket);
            for (const socket of sockets) socket.close();
            await Promise.all(sockets.map((socket) => socket.closed));
            for (const server of servers) {
              server.closeAllConnections();
              await new Promise((resolve) => server.close(resolve));
            }
          }
        }),
        { numRuns: RUNS },
      );
    });
  });
}
