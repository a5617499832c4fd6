// A user's chat as a browser keeps it through server restarts: when the socket closes (1001, the
// server is going away), it connects again through the balancer, to whichever server that sends
// it, and fetches what it missed from the history; a message it sent without seeing it come back
// is sent again with the same ref, so the server can tell a resend from a new message. Every
// socket's frames and every page of history are kept raw, so that a duplicate shows.
import type { ChatMessage } from "@cart/domain";
import { sleep } from "../util";
import { ChatRefused, type Chatter } from "./chatter";
import type { JourneyContext } from "./journey";
import { JourneyFailure } from "./steps";

/** How long a sent message may take to come back before the connection is suspected. */
const ECHO_MS = 2000;
const SEND_ATTEMPTS = 4;
/** A browser's pauses before each try to reconnect, doubling; a refusal of its identity (4xx) ends them. */
const RECONNECT_DELAY_MS = 50;
const RECONNECT_TRIES = 5;

export class ChatLine {
  readonly sockets: Chatter[];
  /** The history pages fetched on reconnecting, raw. */
  readonly resumed: ChatMessage[][] = [];
  resent = 0;
  private reconnecting: Promise<void> | undefined;
  private following: Promise<void> | undefined;
  private stopFollowing = () => {};

  constructor(
    private readonly context: Pick<JourneyContext, "chat">,
    first: Chatter,
    /** The other user of the conversation this line resumes on reconnecting. */
    private readonly other: string,
  ) {
    this.sockets = [first];
  }

  get name(): string {
    return this.sockets[0]!.shopper.name;
  }

  get reconnects(): number {
    return this.sockets.length - 1;
  }

  /**
   * Reconnects as soon as the server closes the socket, as a browser does, until `stop`; a
   * reconnect that fails (a 401: the session was gone) ends it, and is told to `onGiveUp`.
   */
  keepOpen(onGiveUp?: (why: string) => void): void {
    const stopped = new Promise<"stopped">((resolve) => (this.stopFollowing = () => resolve("stopped")));
    this.following = (async () => {
      while ((await Promise.race([this.current.closed, stopped])) !== "stopped" && !this.current.closedHere) {
        await this.open();
      }
    })();
    this.following.catch((error: Error) => onGiveUp?.(error.message)); // and held for `stop`
  }

  /** Stops reconnecting; rethrows what made a reconnect fail (a 401: the session was gone). */
  async stop(): Promise<void> {
    this.stopFollowing();
    await this.following;
  }

  /**
   * Sends `text` to `to` and waits till it comes back with its id; if the socket closes first,
   * reconnects and sends it again, with the same ref.
   */
  async sendAcknowledged(to: string, text: string, ref: string): Promise<ChatMessage> {
    for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
      await this.open();
      const socket = this.current;
      if (attempt > 1) this.resent++;
      socket.send({ type: "send", to, text, ref });
      const echo = await socket.next((frame) => frame.type === "message" && frame.ref === ref, ECHO_MS);
      if (echo?.type === "message") return echo;
      if (socket.open) {
        throw new JourneyFailure(`${this.name}'s message "${text}" did not come back from ${socket.servedBy}`);
      }
    }
    throw new JourneyFailure(`${this.name}'s message "${text}" was not taken in ${SEND_ATTEMPTS} tries`);
  }

  /** Every message of the conversation this line has seen, raw: live on any socket, or resumed. */
  seen(): ChatMessage[] {
    const live = this.sockets.flatMap((socket) =>
      socket.frames.filter((frame) => frame.type === "message").map((frame) => frame as ChatMessage),
    );
    return [...live, ...this.resumed.flat()].filter(({ from, to }) => from === this.other || to === this.other);
  }

  /** The socket now: the last one opened. */
  get current(): Chatter {
    return this.sockets.at(-1)!;
  }

  /** The socket is open, or a new one is, through the balancer, with the history since the last message seen. */
  private open(): Promise<void> {
    if (this.current.open) return Promise.resolve();
    this.reconnecting ??= this.reconnect().finally(() => (this.reconnecting = undefined));
    return this.reconnecting;
  }

  private async reconnect(): Promise<void> {
    // What the new socket gets live may already be past a gap: resume from what was seen before it.
    let after = Math.max(0, ...this.seen().map(({ id }) => id));
    const socket = await this.connect();
    this.sockets.push(socket);
    for (;;) {
      const page = await socket.shopper.expect(200, "GET", `/chat/history?with=${this.other}&after=${after}`);
      const messages = page.body.messages as ChatMessage[];
      if (messages.length === 0) return;
      this.resumed.push(messages);
      after = messages.at(-1)!.id;
    }
  }

  /**
   * A new socket through the balancer, as a browser's chat opens one: a server that did not answer
   * (a 502 from a balancer that had not yet noticed it was dead) is tried again after a pause.
   */
  private async connect(): Promise<Chatter> {
    for (let attempt = 1; ; attempt++) {
      await sleep(RECONNECT_DELAY_MS * 2 ** (attempt - 1));
      try {
        return await this.context.chat(this.current.shopper);
      } catch (error) {
        const transient = error instanceof ChatRefused && (error.status === 0 || error.status >= 500);
        if (!transient || attempt === RECONNECT_TRIES) throw error;
      }
    }
  }
}
