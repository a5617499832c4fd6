// The contract for avatars: a user uploads one picture (PUT /me/avatar, the raw bytes), anyone can
// look at it (GET /users/:id/avatar), the user can delete it. Served by one instance here; what a
// second server sees is each app's own story (its avatars test). The tests use Bob, whose avatar
// no other spec touches, and each sets up what it looks at.
import request from "supertest";
import type TestAgent from "supertest/lib/agent";
import type { ContractClient } from "./client";
import { expectError } from "./expectations";
import { HTML, JPEG, PNG, SVG, WEBP } from "./sample-images";

const MB = 1024 * 1024;

const upload = (agent: TestAgent, bytes: Buffer, contentType = "application/octet-stream") =>
  agent.put("/me/avatar").set("content-type", contentType).send(bytes);

/** GET /users/:id/avatar with the body as bytes, whatever its type. */
const fetchAvatar = (app: ContractClient["app"], userId = "bob") =>
  request(app)
    .get(`/users/${userId}/avatar`)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => done(null, Buffer.concat(chunks)));
    });

export function describeAvatarRoutes({ app, loggedIn }: ContractClient): void {
  describe("avatars", () => {
    it("PUT /me/avatar stores the picture, and GET /users/:id/avatar serves those very bytes to anyone", async () => {
      const bob = await loggedIn("bob");
      const stored = await upload(bob, PNG).expect(200);
      expect(stored.body).toEqual({
        avatar: { url: "/users/bob/avatar", contentType: "image/png", bytes: PNG.length },
      });

      const served = await fetchAvatar(app).expect(200);
      expect(Buffer.compare(served.body as Buffer, PNG)).toBe(0);
      expect(served.headers).toMatchObject({
        "content-type": "image/png",
        "x-content-type-options": "nosniff",
        "cache-control": "public, no-cache",
        etag: expect.any(String),
      });
    });

    it("answers 304 to a browser that already has the picture (If-None-Match), and a new ETag once it changes", async () => {
      const bob = await loggedIn("bob");
      await upload(bob, PNG).expect(200);
      const { etag } = (await fetchAvatar(app).expect(200)).headers;
      await request(app).get("/users/bob/avatar").set("if-none-match", etag!).expect(304);

      await upload(bob, WEBP).expect(200);
      const changed = await fetchAvatar(app).set("if-none-match", etag!).expect(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(Buffer.compare(changed.body as Buffer, WEBP)).toBe(0);
    });

    it.each([
      ["a PNG", PNG, "image/png"],
      ["a JPEG", JPEG, "image/jpeg"],
      ["a WebP", WEBP, "image/webp"],
    ])("decides %s's type from its bytes, not from the Content-Type it was sent with", async (_kind, bytes, type) => {
      const bob = await loggedIn("bob");
      const stored = await upload(bob, bytes, "text/html").expect(200);
      expect(stored.body.avatar.contentType).toBe(type);
      expect((await fetchAvatar(app).expect(200)).headers["content-type"]).toBe(type);
    });

    it.each([
      ["an SVG, even sent as image/png", SVG, "image/png"],
      ["an HTML page, even sent as image/jpeg", HTML, "image/jpeg"],
      ["an empty body", Buffer.alloc(0), "image/png"],
    ])("refuses %s with 415 UNSUPPORTED_IMAGE, and keeps the picture it had", async (_kind, bytes, contentType) => {
      const bob = await loggedIn("bob");
      await upload(bob, PNG).expect(200);
      expectError(await upload(bob, bytes, contentType), 415, "UNSUPPORTED_IMAGE");
      expect(Buffer.compare((await fetchAvatar(app).expect(200)).body as Buffer, PNG)).toBe(0);
    });

    it("takes a picture of exactly 1 MB, and refuses one byte more with 413 AVATAR_TOO_LARGE", async () => {
      const bob = await loggedIn("bob");
      const atLimit = Buffer.alloc(MB);
      PNG.copy(atLimit);
      expect((await upload(bob, atLimit).expect(200)).body.avatar.bytes).toBe(MB);
      const over = Buffer.alloc(MB + 1);
      PNG.copy(over);
      expectError(await upload(bob, over), 413, "AVATAR_TOO_LARGE");
      expect((await fetchAvatar(app).expect(200)).body).toHaveLength(MB);
    });

    it("DELETE /me/avatar removes it (204, and 204 again when there is none); then GET says 404 NO_AVATAR", async () => {
      const bob = await loggedIn("bob");
      await upload(bob, PNG).expect(200);
      await bob.delete("/me/avatar").expect(204);
      await bob.delete("/me/avatar").expect(204);
      expectError(await request(app).get("/users/bob/avatar"), 404, "NO_AVATAR");
    });

    it("answers 404 UNKNOWN_USER for a user who does not exist, whatever the id holds", async () => {
      for (const id of ["nobody", "..%2F..%2F..%2Fetc%2Fpasswd", "%2E%2E", "alice%00"]) {
        expectError(await request(app).get(`/users/${id}/avatar`), 404, "UNKNOWN_USER");
      }
    });

    it("changes only for its owner: uploading or deleting without logging in answers 401", async () => {
      expectError(await upload(request.agent(app), PNG), 401, "NOT_LOGGED_IN");
      expectError(await request(app).delete("/me/avatar"), 401, "NOT_LOGGED_IN");
    });
  });
}
