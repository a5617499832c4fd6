// Avatars on this server's own disk: one file per user in AVATAR_DIR, which no other server can
// read. Upload through stateful-1 and ask stateful-2, and stateful-2 has never heard of the file;
// replace stateful-1 by a new machine and the file is gone with its disk.
import { imageTypeOf, type Avatar, type AvatarRepository } from "@cart/domain";
import { ConfigError } from "@cart/http-kit";
import { randomUUID } from "node:crypto";
import { accessSync, constants, mkdirSync, mkdtempSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";

export class DiskAvatarRepository implements AvatarRepository {
  readonly where: string;
  private dir: string | undefined;

  /**
   * `dir`: AVATAR_DIR, made if missing and checked writable now, so a wrong one stops the start.
   * Without one, a new temporary directory of this process's own, made at the first upload (like a
   * container's writable layer: gone with it).
   */
  constructor(dir: string | undefined, instanceId: string) {
    this.where =
      `on the disk of ${instanceId}, the server that answered: each server has a disk of its own, ` +
      "and a picture uploaded through another server is on that server's disk only";
    if (dir !== undefined) this.dir = usableDirectory(dir);
  }

  async save(userId: string, avatar: Avatar): Promise<void> {
    this.dir ??= mkdtempSync(join(tmpdir(), "cart-avatars-"));
    const file = this.fileOf(userId);
    // Written beside it, then renamed over it: a reader (or a crash) never meets half a picture.
    const partial = `${file}.${randomUUID()}.partial`;
    await writeFile(partial, avatar.bytes);
    await rename(partial, file).catch(async (error: unknown) => {
      await rm(partial, { force: true });
      throw error;
    });
  }

  async find(userId: string): Promise<Avatar | undefined> {
    if (!this.dir) return undefined;
    const bytes = await readFile(this.fileOf(userId)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    const contentType = bytes && imageTypeOf(bytes);
    return contentType && { contentType, bytes };
  }

  async remove(userId: string): Promise<void> {
    if (this.dir) await rm(this.fileOf(userId), { force: true });
  }

  /**
   * The user's file. The routes only pass known users' ids; encoding it anyway means no id, whatever
   * its characters ("../", "/"), names a file outside the directory, and the check below makes sure.
   */
  private fileOf(userId: string): string {
    const dir = this.dir!;
    const file = resolve(dir, `${encodeURIComponent(userId)}.avatar`);
    if (!file.startsWith(dir + sep)) throw new Error(`avatar file for "${userId}" would be outside ${dir}`);
    return file;
  }
}

function usableDirectory(dir: string): string {
  const absolute = resolve(dir);
  try {
    mkdirSync(absolute, { recursive: true });
    accessSync(absolute, constants.W_OK);
  } catch (error) {
    throw new ConfigError([`AVATAR_DIR: cannot write to ${absolute} (${(error as NodeJS.ErrnoException).code})`]);
  }
  return absolute;
}
