// Files on this server's own disk, with the calls object storage has (put, get, delete), so that
// what the stateful app keeps on its disk and what the stateless app keeps in a bucket read alike,
// and differ only in where the bytes are: here, where no other server can read them, and gone
// with the machine.
//
// A file is replaced whole: written beside it, then renamed over it, so a reader (or a crash)
// never meets half of one. A key, whatever its characters ("../", "/"), names a file inside the
// folder. Every call is timed as `disk` (Server-Timing), as the kits of the shared stores time theirs.
import { timedStore } from "@cart/domain";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";

export class DiskFiles {
  private dir: string | undefined;

  /**
   * `dir`: a writable folder (writableDirectory checks it at start-up). Without one, a new
   * temporary folder of this process's own, made at the first write and removed when the process
   * exits (like a container's writable layer: gone with it; a process killed outright leaves it,
   * as a crashed machine leaves its disk).
   */
  constructor(dir: string | undefined) {
    this.dir = dir;
  }

  /** The folder the files are in: the one given, or the temporary one (none before the first write). */
  get folder(): string | undefined {
    return this.dir;
  }

  put(key: string, bytes: Uint8Array): Promise<void> {
    return timedStore("disk", async () => {
      this.dir ??= temporaryFolder();
      const file = this.fileOf(key);
      const partial = `${file}.${randomUUID()}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, file).catch(async (error: unknown) => {
        await rm(partial, { force: true });
        throw error;
      });
    });
  }

  /** The file's bytes, or undefined if there is none. */
  get(key: string): Promise<Uint8Array | undefined> {
    return timedStore("disk", async () => {
      if (!this.dir) return undefined;
      return readFile(this.fileOf(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
    });
  }

  /** Deletes the file; none is not an error. */
  delete(key: string): Promise<void> {
    return timedStore("disk", async () => {
      if (this.dir) await rm(this.fileOf(key), { force: true });
    });
  }

  private fileOf(key: string): string {
    const dir = this.dir!;
    const file = resolve(dir, `${encodeURIComponent(key)}.file`);
    if (!file.startsWith(dir + sep)) throw new Error(`the file of "${key}" would be outside ${dir}`);
    return file;
  }
}

/** The temporary folders this process made, removed as it exits (one listener for all of them). */
// state-audit: per-server: the temporary folders this process made, removed as it exits
const temporaryFolders = new Set<string>();

function temporaryFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "cart-files-"));
  if (temporaryFolders.size === 0) {
    process.once("exit", () => {
      for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
    });
  }
  temporaryFolders.add(dir);
  return dir;
}
