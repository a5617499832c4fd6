// Avatars as a journey sees them: a picture of its own to upload (so that what a server serves can
// be told apart from any earlier upload, by its fingerprint), and the picture as each server serves it.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import type { DemoUser } from "../rig/demo-logins";
import type { JourneyContext } from "./journey";
import type { Reply } from "./shopper";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SIZE = 32;

/** One PNG chunk: its length, its type and data, and the CRC of both. */
function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A real 32×32 PNG in a colour of its own, with a unique note in it: no two are the same file. */
export function freshAvatar(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 2], 8); // 8 bits per channel, RGB
  const colour = randomBytes(3);
  // Each row: filter type 0, then the pixels.
  const row = Buffer.concat([Buffer.from([0]), ...Array.from({ length: SIZE }, () => colour)]);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", header),
    chunk("tEXt", Buffer.from(`Comment\0${randomUUID()}`, "latin1")),
    chunk("IDAT", deflateSync(Buffer.concat(Array.from({ length: SIZE }, () => row)))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The first 12 hex digits of the bytes' SHA-256: enough to tell two pictures apart in a report. */
export const fingerprint = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 12);

export interface AvatarView {
  readonly server: string;
  readonly status: number;
  /** The error's code, when there was no picture. */
  readonly code?: string;
  /** The picture's fingerprint, when there was one. */
  readonly fingerprint?: string;
}

/** What GET /users/:id/avatar gave, in a report's words: "200 image/png 1a2b3c4d5e6f", "404 NO_AVATAR". */
export function avatarView(reply: Reply): AvatarView {
  const { status, instance: server } = reply;
  if (status === 200) return { server, status, fingerprint: fingerprint(reply.bytes) };
  return { server, status, code: reply.body?.error?.code ?? "NO_ANSWER" };
}

export const describeView = (view: AvatarView) => `${view.status} ${view.fingerprint ?? view.code}`;

/**
 * `user`'s avatar as every server serves it, asked through the balancer by visitors who are not
 * logged in (each new browser is sent to the next server): one answer per server, or as many
 * servers as a few tries each reached.
 */
export async function avatarOnEveryServer(context: JourneyContext, user: DemoUser): Promise<AvatarView[]> {
  const servers = Math.max(2, context.instanceIds().length);
  const seen = new Map<string, AvatarView>();
  for (let visit = 1; visit <= 3 * servers && seen.size < servers; visit++) {
    const reply = await context.shopper(`Visitor ${visit}`).send("GET", `/users/${user}/avatar`);
    if (!seen.has(reply.instance)) seen.set(reply.instance, avatarView(reply));
  }
  return [...seen.values()];
}
