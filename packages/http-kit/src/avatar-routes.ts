// Avatars: anyone may look at a user's picture; only the user may change it. Where the files are
// kept is the avatar repository's business: the answers are the same wherever that is.
import { avatarFrom, findUser, NoAvatarError, type AvatarRepository } from "@cart/domain";
import { Router } from "express";
import { HttpError } from "./http-error";
import type { Identity } from "./identity";
import { imageBody, uploadedBytes } from "./image-body";
import { principalOf, requireUser } from "./require-user";

export const avatarPath = (userId: string) => `/users/${encodeURIComponent(userId)}/avatar`;

export function avatarRoutes(identity: Identity, avatars: AvatarRepository): Router {
  const router = Router();

  // The caller is recognised before the body is read: a stranger's megabyte is never received.
  router.put("/me/avatar", requireUser(identity), imageBody, async (req, res) => {
    const avatar = avatarFrom(uploadedBytes(req));
    const { userId } = principalOf(res);
    await avatars.save(userId, avatar);
    res.json({ avatar: { url: avatarPath(userId), contentType: avatar.contentType, bytes: avatar.bytes.length } });
  });

  router.get("/users/:id/avatar", async (req, res) => {
    const userId = String(req.params.id);
    // Only a known user's id ever reaches the repository (which may turn it into a file name).
    if (!findUser(userId)) throw new HttpError(404, "UNKNOWN_USER", `There is no user "${userId}"`);
    const avatar = await avatars.find(userId);
    if (!avatar) throw new NoAvatarError(userId, avatars.where);
    // The bytes decided the type; nosniff (helmet's) keeps the browser from deciding otherwise.
    // Express adds an ETag computed from the bytes (the same on every server that has them) and
    // answers 304 to a browser that has them already; no-cache makes it ask each time, since the
    // picture can change at the same URL.
    res.set({ "Content-Type": avatar.contentType, "Cache-Control": "public, no-cache" });
    res.send(Buffer.from(avatar.bytes.buffer, avatar.bytes.byteOffset, avatar.bytes.byteLength));
  });

  router.delete("/me/avatar", requireUser(identity), async (_req, res) => {
    await avatars.remove(principalOf(res).userId);
    res.status(204).end();
  });

  return router;
}
