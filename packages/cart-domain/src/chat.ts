// The chat's words, the same for both apps: what a client may send over its WebSocket (checked at
// the edge: at most 4 kB of JSON text, one of three frames), what the server sends back, and what
// a message's text may be. Who sends a frame is never in it: the server knows from the identity.
import { z } from "zod";
import { findUser } from "./users";

export const MAX_FRAME_BYTES = 4096;
export const MAX_TEXT_CHARS = 1000;
/** Frames a connection may send per second on average, and in a burst. */
export const FRAMES_PER_SECOND = 10;
export const FRAME_BURST = 20;
/** How long "Alice is typing" lasts unless she types again. */
export const TYPING_MS = 3000;
/** How long a message's `ref` is remembered: a resend comes within moments of the first try. */
export const REF_KEPT_MS = 10 * 60 * 1000;
/** Messages per page of `GET /chat/history`. */
export const HISTORY_PAGE = 50;

/** Why a frame was refused: the `code` of the `error` frame the client gets back, and what it means. */
export const CHAT_ERROR_CODES = {
  NOT_JSON: "a frame must be JSON text",
  BINARY_FRAME: "frames are text, not binary",
  FRAME_TOO_LARGE: `a frame over ${MAX_FRAME_BYTES / 1024} kB`,
  INVALID_FRAME: "not a frame the server knows (a `from` of its own is refused: the server says who sent it)",
  UNKNOWN_USER: "no other user of that name",
  INVALID_TEXT: `a text holds 1 to ${MAX_TEXT_CHARS} characters that say something: not only spaces or invisible characters, no control characters`,
  RATE_LIMITED: `more than ${FRAMES_PER_SECOND} frames a second (bursts of ${FRAME_BURST})`,
  NOT_DELIVERED:
    "the recipient is not connected where this server reaches (stateful: to this server; stateless: to any); the message is kept, and they see it when they connect",
  STORE_UNAVAILABLE: "stateless: Redis or PostgreSQL did not answer within 1 s",
  INTERNAL: "a bug of ours: the details are in the server's log, never in the frame",
} as const;

export type ChatErrorCode = keyof typeof CHAT_ERROR_CODES;

export class ChatFrameError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const userId = z.string().min(1).max(64);
/** A message id: ordered within a conversation, so a client can resume after the last it saw. */
const messageId = z.number().int().min(0);
/** The sender's own name for a message, so that sending it again (after a lost connection) is safe. */
const messageRef = z.string().regex(/^[\w-]{1,64}$/, "A ref is 1 to 64 letters, digits, _ or -");

const clientFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("send"), to: userId, text: z.string(), ref: messageRef.optional() }),
  z.strictObject({ type: z.literal("typing"), to: userId }),
  z.strictObject({ type: z.literal("read"), with: userId, upTo: messageId }),
]);

export type ClientFrame = z.infer<typeof clientFrame>;

export interface ChatMessage {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** ISO time the server took it. */
  readonly at: string;
  /** The server that took it. */
  readonly servedBy: string;
  /**
   * The sender's reference, when they gave one: a client that lost its connection before it saw
   * its message come back sends it again with the same `ref`, and gets the first one back, not a
   * second copy. A ref names one message of its sender in one conversation, for REF_KEPT_MS.
   */
  readonly ref?: string;
}

export type ServerFrame =
  | ({ readonly type: "message" } & ChatMessage)
  | { readonly type: "presence"; readonly user: string; readonly online: boolean }
  | { readonly type: "typing"; readonly from: string }
  | { readonly type: "unread"; readonly from: string; readonly count: number }
  | { readonly type: "error"; readonly code: ChatErrorCode; readonly message: string };

/**
 * A client's frame as the WebSocket delivered it, checked: text, at most MAX_FRAME_BYTES, JSON,
 * one of the three frames, naming a known user other than `sender`, with a valid text.
 */
export function parseClientFrame(data: Buffer | string, isBinary: boolean, sender: string): ClientFrame {
  if (isBinary) throw new ChatFrameError("BINARY_FRAME", "Frames are JSON text, not binary");
  const bytes = typeof data === "string" ? Buffer.byteLength(data) : data.length;
  if (bytes > MAX_FRAME_BYTES) {
    throw new ChatFrameError("FRAME_TOO_LARGE", `A frame may hold at most ${MAX_FRAME_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(data.toString());
  } catch {
    throw new ChatFrameError("NOT_JSON", "A frame must be JSON");
  }
  const parsed = clientFrame.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new ChatFrameError("INVALID_FRAME", `${issue?.message ?? "Invalid frame"}${where}`);
  }
  const frame = parsed.data;
  const other = frame.type === "read" ? frame.with : frame.to;
  if (other === sender || !findUser(other)) throw new ChatFrameError("UNKNOWN_USER", `No other user "${other}"`);
  return frame.type === "send" ? { ...frame, text: chatText(frame.text) } : frame;
}

// Control characters other than line breaks and tabs; invisible format characters (zero-width
// spaces, direction overrides) count as nothing when deciding whether a text says anything.
const CONTROL = /[^\P{Cc}\t\n\r]/u;
const NOTHING = /^[\s\p{Cf}]*$/u;

/** A message's text as kept: trimmed; 1 to MAX_TEXT_CHARS characters that say something. */
export function chatText(text: string): string {
  const trimmed = text.normalize("NFC").trim();
  if (CONTROL.test(trimmed)) throw new ChatFrameError("INVALID_TEXT", "A message may not hold control characters");
  if (NOTHING.test(trimmed)) throw new ChatFrameError("INVALID_TEXT", "A message must say something");
  if ([...trimmed].length > MAX_TEXT_CHARS) {
    throw new ChatFrameError("INVALID_TEXT", `A message may hold at most ${MAX_TEXT_CHARS} characters`);
  }
  return trimmed;
}

/** The conversation of two users, whoever writes: its messages share one order. */
export function conversationOf(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
