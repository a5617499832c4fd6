// Files on this server's own disk, as the stateful app keeps avatars: the calls object storage has,
// a file replaced whole, names that cannot leave the folder, the folder checked at start-up.
import { withStoreTimings } from "@cart/domain";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { DiskFiles, writableDirectory } from "../src";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "disk-kit-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("DiskFiles", () => {
  it("keeps a file's bytes exactly, answers undefined for one that is not there, and deletes", async () => {
    const files = new DiskFiles(dir);
    const bytes = randomBytes(64 * 1024);
    await files.put("avatars/alice", bytes);
    expect(Buffer.compare(Buffer.from((await files.get("avatars/alice"))!), bytes)).toBe(0);
    expect(await files.get("avatars/nobody")).toBeUndefined();
    await files.delete("avatars/alice");
    await files.delete("avatars/alice");
    expect(await files.get("avatars/alice")).toBeUndefined();
  });

  it("replaces a file whole, leaving nothing half-written beside it", async () => {
    const files = new DiskFiles(dir);
    await files.put("k", Buffer.from("old"));
    await Promise.all([files.put("k", Buffer.alloc(256 * 1024, 1)), files.put("k", Buffer.alloc(256 * 1024, 2))]);
    const kept = Buffer.from((await files.get("k"))!);
    expect(kept.length).toBe(256 * 1024);
    expect(kept.every((byte) => byte === kept[0])).toBe(true);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("keeps every key inside its folder, whatever its characters", async () => {
    const files = new DiskFiles(dir);
    await files.put("../../escaped", Buffer.from("x"));
    await files.put("/etc/passwd", Buffer.from("y"));
    expect(readdirSync(dir)).toHaveLength(2);
    expect((await files.get("../../escaped"))?.toString()).toBe("x");
  });

  it("without a folder, makes a temporary one of its own at the first write", async () => {
    const files = new DiskFiles(undefined);
    expect(await files.get("k")).toBeUndefined();
    await files.put("k", Buffer.from("z"));
    expect((await files.get("k"))?.toString()).toBe("z");
  });

  it("removes its temporary folder when the process exits, and never a folder it was given", () => {
    // A real process: what it leaves behind after it exits is what a server leaves after Ctrl-C.
    const script = `
      const { DiskFiles } = require(${JSON.stringify(require.resolve("../src"))});
      (async () => {
        const own = new DiskFiles(undefined);
        await own.put("avatars/alice", Buffer.from("png"));
        await new DiskFiles(process.argv[1]).put("avatars/bob", Buffer.from("png"));
        console.log(own.folder);
      })();`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script, dir], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const temporary = run.stdout.trim();
    expect(temporary).toMatch(/cart-files-/);
    expect(existsSync(temporary)).toBe(false);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("times every call as `disk`, for Server-Timing", async () => {
    const files = new DiskFiles(dir);
    const uses = await withStoreTimings(async (read) => {
      await files.put("k", Buffer.from("z"));
      await files.get("k");
      return read();
    });
    expect(uses.map(({ store, operations }) => [store, operations])).toEqual([["disk", 2]]);
  });
});

describe("writableDirectory", () => {
  const schema = z.object({ AVATAR_DIR: writableDirectory("avatars") });

  it("makes a missing folder and gives its absolute path; none is none", () => {
    const wanted = join(dir, "made", "here");
    expect(schema.parse({ AVATAR_DIR: wanted }).AVATAR_DIR).toBe(wanted);
    expect(readdirSync(join(dir, "made"))).toEqual(["here"]);
    expect(schema.parse({}).AVATAR_DIR).toBeUndefined();
  });

  it("says in one line which variable names a folder that cannot be written", () => {
    writeFileSync(join(dir, "a-file"), "");
    const result = schema.safeParse({ AVATAR_DIR: join(dir, "a-file", "avatars") });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      `AVATAR_DIR: cannot write to ${join(dir, "a-file", "avatars")} (ENOTDIR)`,
    ]);
  });
});
