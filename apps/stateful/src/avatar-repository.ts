// Avatars on this server's own disk: one file per user in AVATAR_DIR, which no other server can
// read. Upload through stateful-1 and ask stateful-2, and stateful-2 has never heard of the file;
// replace stateful-1 by a new machine and the file is gone with its disk. The type is decided
// again from the bytes that come back, as on the way in.
import { imageTypeOf, type Avatar, type AvatarRepository } from "@cart/domain";
import type { DiskFiles } from "@cart/disk-kit";

const keyOf = (userId: string) => `avatars/${encodeURIComponent(userId)}`;

export class DiskAvatarRepository implements AvatarRepository {
  readonly where: string;

  constructor(
    private readonly disk: DiskFiles,
    instanceId: string,
  ) {
    this.where =
      `on the disk of ${instanceId}, the server that answered: each server has a disk of its own, ` +
      "and a picture uploaded through another server is on that server's disk only";
  }

  async save(userId: string, avatar: Avatar): Promise<void> {
    // One file replaced whole: a reader gets the old bytes or the new, never a mix.
    await this.disk.put(keyOf(userId), avatar.bytes);
  }

  async find(userId: string): Promise<Avatar | undefined> {
    const bytes = await this.disk.get(keyOf(userId));
    const contentType = bytes && imageTypeOf(bytes);
    return contentType && { contentType, bytes };
  }

  async remove(userId: string): Promise<void> {
    await this.disk.delete(keyOf(userId));
  }
}
