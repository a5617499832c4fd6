// One side's chat on the dashboard: Alice and Bob, each in a browser of their own, their sockets
// on different servers of the side's cluster, reconnecting (through the balancer) when their
// server goes, as a browser's chat does. What the page shows of them comes from the frames their
// sockets got: which server holds each, who they see online and typing, unread counts, messages.
import { TYPING_MS, type ChatMessage, type ServerFrame } from "@cart/domain";
import { ChatLine } from "../journeys/chat-line";
import { chatPairApart, type ChatRoom } from "../journeys/chat-pair";
import { JourneyFailure } from "../journeys/steps";
import type { Architecture } from "../vocabulary";
import type { ChatterView, ChatView, LogTone } from "./dashboard-state";

/** What Alice writes: with markup, which the page must show as text. */
export const ALICE_WRITES = "Pizza <b>tonight</b>?";
const DELIVERY_MS = 1000;
const SHOWN_MESSAGES = 5;

export class WorkshopChat {
  private lines: { alice: ChatLine; bob: ChatLine } | undefined;
  /** Why a line stopped reconnecting (its session was gone), per user. */
  private readonly stopped = new Map<string, string>();
  private written = 0;

  constructor(
    private readonly app: Architecture,
    private readonly room: ChatRoom,
    private readonly log: (text: string, tone: LogTone) => void,
  ) {}

  /** Alice and Bob open their chats, on different servers; earlier ones are closed. */
  async connect(): Promise<void> {
    this.close();
    const { alice, bob } = await chatPairApart(this.room);
    const lines = { alice: new ChatLine(this.room, alice, "bob"), bob: new ChatLine(this.room, bob, "alice") };
    this.lines = lines;
    for (const [user, line] of Object.entries(lines)) {
      line.keepOpen((why) => {
        if (this.lines !== lines) return;
        this.stopped.set(user, why);
        this.log(`${line.name}'s chat could not reconnect: ${why}`, "error");
      });
    }
    this.log(`Chat: Alice on ${alice.servedBy}, Bob on ${bob.servedBy}.`, "info");
  }

  /** Alice writes to Bob; the log says whether Bob's socket got it within a second. */
  async aliceWrites(): Promise<void> {
    const { alice, bob } = this.open();
    const ref = `workshop-${this.app}-${++this.written}`;
    const sent = await alice.sendAcknowledged("bob", ALICE_WRITES, ref).catch((error: unknown) => {
      if (error instanceof JourneyFailure) return this.log(error.message, "error");
      throw error;
    });
    if (!sent) return;
    const got = await bob.current.next((frame) => frame.type === "message" && frame.ref === ref, DELIVERY_MS);
    if (got) return this.log(`Bob (on ${bob.current.servedBy}) got Alice's message #${sent.id}.`, "ok");
    const told = alice.current.frames.findLast((frame) => frame.type === "error");
    this.log(
      `Bob (on ${bob.current.servedBy}) got nothing from Alice (on ${alice.current.servedBy})` +
        `${told?.type === "error" ? `; Alice was told: ${told.message}` : ""}`,
      "error",
    );
  }

  /** Alice starts typing to Bob. */
  async aliceTypes(): Promise<void> {
    const { alice, bob } = this.open();
    alice.current.send({ type: "typing", to: "bob" });
    const seen = await bob.current.next((frame) => frame.type === "typing" && frame.from === "alice", DELIVERY_MS);
    this.log(
      seen
        ? `Bob (on ${bob.current.servedBy}) sees "Alice is typing" for ${TYPING_MS / 1000} s.`
        : `Bob (on ${bob.current.servedBy}) never saw Alice (on ${alice.current.servedBy}) typing.`,
      seen ? "ok" : "error",
    );
  }

  /** The server holding Bob's socket now, if he has one. */
  get bobsServer(): string | undefined {
    return this.lines?.bob.current.servedBy;
  }

  view(): ChatView | null {
    if (!this.lines) return null;
    return { alice: this.chatterView("alice"), bob: this.chatterView("bob") };
  }

  close(): void {
    if (!this.lines) return;
    for (const line of Object.values(this.lines)) void line.stop().catch(() => undefined);
    for (const line of Object.values(this.lines)) for (const socket of line.sockets) socket.close();
    this.lines = undefined;
    this.stopped.clear();
  }

  private open(): { alice: ChatLine; bob: ChatLine } {
    if (!this.lines) throw new Error("Connect Alice and Bob to the chat first");
    return this.lines;
  }

  private chatterView(user: "alice" | "bob"): ChatterView {
    const line = this.lines![user];
    const socket = line.current;
    const frames = socket.frames;
    const online = new Set<string>();
    const unread: Record<string, number> = {};
    const lastTyping = new Map<string, number>();
    let error: string | null = null;
    frames.forEach((frame: ServerFrame, i) => {
      if (frame.type === "presence") {
        if (frame.online) online.add(frame.user);
        else online.delete(frame.user);
      } else if (frame.type === "unread") unread[frame.from] = frame.count;
      else if (frame.type === "typing") lastTyping.set(frame.from, socket.arrivals[i]!);
      else if (frame.type === "message") lastTyping.delete(frame.from);
      else if (frame.type === "error") error = frame.message;
    });
    const now = performance.now();
    const messages = new Map<number, ChatMessage>(line.seen().map((message) => [message.id, message]));
    return {
      server: socket.servedBy,
      connected: socket.open,
      reconnects: line.reconnects,
      refused: this.stopped.get(user) ?? null,
      online: [...online].sort(),
      typing: [...lastTyping].filter(([, at]) => now - at < TYPING_MS).map(([from]) => from),
      unread,
      lastError: error,
      messages: [...messages.values()]
        .sort((a, b) => a.id - b.id)
        .slice(-SHOWN_MESSAGES)
        .map(({ id, from, text, servedBy }) => ({ id, from, text, servedBy })),
    };
  }
}
