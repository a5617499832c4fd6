// An upload's body: the raw bytes, whatever Content-Type the client sent (what they are is decided
// from the bytes themselves, see the domain's avatar.ts), at most MAX_AVATAR_BYTES. A larger body
// is refused from its Content-Length before it is read, or as soon as it passes the limit.
import { AvatarTooLargeError, MAX_AVATAR_BYTES } from "@cart/domain";
import express, { type Request, type RequestHandler } from "express";

const raw = express.raw({ type: () => true, limit: MAX_AVATAR_BYTES });

export const imageBody: RequestHandler = (req, res, next) =>
  raw(req, res, (error?: unknown) => {
    const tooLarge = (error as { type?: unknown } | undefined)?.type === "entity.too.large";
    next(tooLarge ? new AvatarTooLargeError(MAX_AVATAR_BYTES) : error);
  });

/** The bytes `imageBody` read (none for a request without a body). */
export function uploadedBytes(req: Request): Uint8Array {
  return Buffer.isBuffer(req.body) ? req.body : new Uint8Array();
}
