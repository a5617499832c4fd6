// Avatars in S3-compatible object storage, which every server shares: upload through any server,
// and every server (and a new one started after it) serves the same bytes. The type is decided
// again from the bytes that come back, as on the way in.
import { imageTypeOf, type Avatar, type AvatarRepository } from "@cart/domain";
import type { ObjectStore } from "@cart/s3-kit";

const keyOf = (userId: string) => `avatars/${encodeURIComponent(userId)}`;

export class S3AvatarRepository implements AvatarRepository {
  readonly where: string;

  constructor(private readonly store: ObjectStore) {
    this.where = `in object storage (bucket ${store.bucket}), which every server shares`;
  }

  async save(userId: string, avatar: Avatar): Promise<void> {
    // One PUT replaces the whole object: a reader gets the old bytes or the new, never a mix.
    await this.store.put(keyOf(userId), avatar.bytes, avatar.contentType);
  }

  async find(userId: string): Promise<Avatar | undefined> {
    const bytes = await this.store.get(keyOf(userId));
    const contentType = bytes && imageTypeOf(bytes);
    return contentType && { contentType, bytes };
  }

  async remove(userId: string): Promise<void> {
    await this.store.delete(keyOf(userId));
  }
}
