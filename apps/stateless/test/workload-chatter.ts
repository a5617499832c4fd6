// One of the two users chatting across the servers in store-faults.test.ts: a WebSocket to a
// server of its own, opened again whenever it is closed (a refusal is judged like any answer), a
// message to the other at every step, acknowledged when the server sends it back, and a check that
// every acknowledged message is in the conversation's history, once.
import { openChat, type ChatClient } from "@cart/contract-suite";
import { HISTORY_PAGE, type ChatMessage } from "@cart/domain";
import { setTimeout as sleep } from "node:timers/promises";
import { FAST_503_MS, type JudgedClient } from "./judged-client";

/** Well under the chat's 10 frames a second. */
const STEP_MS = 200;
const NO_ANSWER_MS = 5000;

export class Chatter {
  private chat: ChatClient | undefined;
  private open = false;
  private readonly acked: string[] = [];
  private sent = 0;

  constructor(
    readonly user: string,
    readonly other: string,
    private readonly server: string,
    private readonly token: string,
  ) {}

  /**
   * Opens this user's socket before the workload starts: a message to a user who has not connected
   * yet is rightly refused (NOT_DELIVERED), so both chatters are connected before either sends.
   */
  async connect(problems: string[]): Promise<void> {
    if (!(await this.connection(problems))) problems.push(`${this.user}'s chat did not open before the outages`);
  }

  /** Sends one message, and notes whether it was acknowledged; what broke the rules goes to `problems`. */
  async step(problems: string[]): Promise<void> {
    await sleep(STEP_MS);
    const chat = await this.connection(problems);
    if (!chat) return;
    const ref = `${this.user}-${++this.sent}`;
    const from = chat.frames.length;
    const started = performance.now();
    chat.send({ type: "send", to: this.other, text: `Pizza number ${this.sent}?`, ref });
    for (;;) {
      const answer = chat.frames
        .slice(from)
        .find((frame) => frame.type === "error" || (frame.type === "message" && frame.ref === ref));
      const ms = Math.round(performance.now() - started);
      if (answer?.type === "message") return void this.acked.push(ref);
      if (answer?.type === "error") {
        if (answer.code !== "STORE_UNAVAILABLE") problems.push(`${this.user}'s message ${ref}: ${answer.code}`);
        else if (ms > FAST_503_MS) problems.push(`${this.user}'s message ${ref}: STORE_UNAVAILABLE after ${ms} ms`);
        return;
      }
      if (!this.open) return; // closed by the server: the next message goes on a new socket
      if (ms > NO_ANSWER_MS) return void problems.push(`${this.user}'s message ${ref}: no answer`);
      await sleep(10);
    }
  }

  /** Every acknowledged message of this user's, once in the conversation's history: what is not, in words. */
  async check(client: JudgedClient): Promise<string[]> {
    const history: ChatMessage[] = [];
    for (;;) {
      const after = history.at(-1)?.id ?? 0;
      const { status, body } = await client.call("GET", `/chat/history?with=${this.other}&after=${after}`, this.token);
      if (status !== 200) return [`${this.user}'s history: ${status}`];
      const page = body.messages as ChatMessage[];
      history.push(...page);
      if (page.length < HISTORY_PAGE) break;
    }
    const copies = new Map<string, number>();
    for (const message of history) if (message.ref) copies.set(message.ref, (copies.get(message.ref) ?? 0) + 1);
    return this.acked
      .filter((ref) => copies.get(ref) !== 1)
      .map((ref) => `${this.user}'s message ${ref} is in the history ${copies.get(ref) ?? 0} times`);
  }

  close(): void {
    this.chat?.close();
  }

  /** The open socket, or a new one; undefined if the server refused it (judged) or it did not open. */
  private async connection(problems: string[]): Promise<ChatClient | undefined> {
    if (this.chat && this.open) return this.chat;
    const started = performance.now();
    try {
      const chat = await openChat(this.server, { authorization: `Bearer ${this.token}` });
      this.open = true;
      void chat.closed.then(() => (this.open = false));
      return (this.chat = chat);
    } catch (error) {
      const { status } = error as { status?: number };
      const ms = Math.round(performance.now() - started);
      const what = `${this.user}'s chat on ${this.server}`;
      if (status !== 503) problems.push(`${what}: ${status ?? (error as Error).message}`);
      else if (ms > FAST_503_MS) problems.push(`${what}: 503 after ${ms} ms`);
      return undefined;
    }
  }
}
