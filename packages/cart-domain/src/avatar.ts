// Avatars: a picture per user. What a file is, is decided from its first bytes (its signature),
// never from what the client says it is: a browser told "image/png" renders an HTML file as HTML.
// Three signatures, each fixed by its format's specification, are the whole rule, so it is written
// out here rather than taken from a sniffing library that knows a hundred types we refuse.
import { AvatarTooLargeError, UnsupportedImageError } from "./errors";

export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type AvatarType = (typeof AVATAR_TYPES)[number];

/** 1 MiB: ample for a profile picture, small enough that no upload ties a server up. */
export const MAX_AVATAR_BYTES = 1024 * 1024;

export interface Avatar {
  readonly contentType: AvatarType;
  readonly bytes: Uint8Array;
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** Bytes that must be at `offset`. */
type Signature = readonly [offset: number, bytes: readonly number[]];

const SIGNATURES: Record<AvatarType, readonly Signature[]> = {
  // The 8-byte PNG signature, then the first chunk, which must be the header (IHDR).
  "image/png": [
    [0, [0x89, ...ascii("PNG"), 0x0d, 0x0a, 0x1a, 0x0a]],
    [12, ascii("IHDR")],
  ],
  // Start of image, then the next marker.
  "image/jpeg": [[0, [0xff, 0xd8, 0xff]]],
  // A RIFF container of WEBP whose first chunk is a VP8 bitstream (lossy "VP8 ", lossless "VP8L", extended "VP8X").
  "image/webp": [
    [0, ascii("RIFF")],
    [8, ascii("WEBPVP8")],
  ],
};

const matches = (bytes: Uint8Array, [offset, expected]: Signature) =>
  bytes.length >= offset + expected.length && expected.every((byte, i) => bytes[offset + i] === byte);

/** The image type the bytes really are, or undefined for anything else (SVG, HTML, GIF, text…). */
export function imageTypeOf(bytes: Uint8Array): AvatarType | undefined {
  return AVATAR_TYPES.find((type) => SIGNATURES[type].every((signature) => matches(bytes, signature)));
}

/** The avatar these uploaded bytes make: AvatarTooLargeError or UnsupportedImageError if they make none. */
export function avatarFrom(bytes: Uint8Array): Avatar {
  if (bytes.length > MAX_AVATAR_BYTES) throw new AvatarTooLargeError(MAX_AVATAR_BYTES);
  const contentType = imageTypeOf(bytes);
  if (!contentType) throw new UnsupportedImageError(bytes.length);
  return { contentType, bytes };
}
