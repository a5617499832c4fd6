// What counts as an avatar: decided by the bytes, never by what the client calls them.
import fc from "fast-check";
import { avatarFrom, AvatarTooLargeError, imageTypeOf, MAX_AVATAR_BYTES, UnsupportedImageError } from "../src";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part, "latin1")] : part)));

// The first bytes of real files of each kind (what each format's specification fixes).
const PNG = bytes([0x89], "PNG\r\n\x1a\n", [0, 0, 0, 13], "IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF\0");
const WEBP = bytes("RIFF", [26, 0, 0, 0], "WEBPVP8 ", [14, 0, 0, 0]);
const WEBP_LOSSLESS = bytes("RIFF", [26, 0, 0, 0], "WEBPVP8L", [14, 0, 0, 0]);

describe("imageTypeOf", () => {
  it.each([
    ["a PNG", PNG, "image/png"],
    ["a JPEG", JPEG, "image/jpeg"],
    ["a lossy WebP", WEBP, "image/webp"],
    ["a lossless WebP", WEBP_LOSSLESS, "image/webp"],
  ])("knows %s by its first bytes", (_name, file, type) => {
    expect(imageTypeOf(file)).toBe(type);
  });

  it.each([
    [
      "an SVG (an image that can run script)",
      bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    ["an HTML page", bytes("<!doctype html><script>alert(1)</script>")],
    ["a GIF", bytes("GIF89a", [1, 0, 1, 0])],
    ["a WAV (a RIFF that is not WEBP)", bytes("RIFF", [26, 0, 0, 0], "WAVEfmt ")],
    ["a PNG signature with no header chunk after it", PNG.slice(0, 8)],
    ["a PNG signature followed by HTML", bytes([0x89], "PNG\r\n\x1a\n", "<html><script>alert(1)</script>")],
    ["nothing at all", new Uint8Array()],
  ])("refuses %s", (_name, file) => {
    expect(imageTypeOf(file)).toBeUndefined();
  });

  it("never throws, whatever the bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (file) => void imageTypeOf(file)));
  });
});

describe("avatarFrom", () => {
  it("keeps the bytes and the type they really are", () => {
    expect(avatarFrom(JPEG)).toEqual({ contentType: "image/jpeg", bytes: JPEG });
  });

  it("refuses anything but a PNG, JPEG or WebP with UNSUPPORTED_IMAGE, naming an empty body as such", () => {
    expect(() => avatarFrom(bytes("<svg/>"))).toThrow(UnsupportedImageError);
    expect(() => avatarFrom(new Uint8Array())).toThrow(/empty/);
  });

  it("takes an image of exactly 1 MB, and refuses one byte more with AVATAR_TOO_LARGE", () => {
    const atLimit = new Uint8Array(MAX_AVATAR_BYTES);
    atLimit.set(PNG);
    expect(avatarFrom(atLimit).contentType).toBe("image/png");
    const over = new Uint8Array(MAX_AVATAR_BYTES + 1);
    over.set(PNG);
    expect(() => avatarFrom(over)).toThrow(AvatarTooLargeError);
  });
});
