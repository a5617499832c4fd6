// Each app's server as `pnpm build` leaves it (scripts/build.mjs): one bundle, so that a start reads
// one file instead of hundreds; V8's code cache beside it, so that a start compiles almost nothing;
// and stack traces that still name our files.
import { startNodeServer } from "@cart/local-infra";
import { scratchDatabase } from "@cart/pg-kit";
import { objectStoreEnv, objectStoreFromEnv, scratchBucket } from "@cart/s3-kit";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

const root = join(__dirname, "..");
const RECORDER = join(__dirname, "support", "record-loaded-modules.cjs");

describe.each(["stateful", "stateless"] as const)("the %s server, as built", (app) => {
  const dist = join(root, "apps", app, "dist");
  const database = scratchDatabase(process.env.DATABASE_URL!, "bundle");
  const bucket = scratchBucket(objectStoreFromEnv(process.env), "bundle");
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "server-bundle-"));
    if (app === "stateless") await database.create();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    if (app === "stateless") await Promise.all([database.drop(), bucket.drop()]);
  });

  it("runs its code from the one bundle, no module file besides, and its stack traces name our TypeScript files, and only those", async () => {
    const loadedFile = join(dir, "loaded.json");
    const stores =
      app === "stateless"
        ? { REDIS_URL: process.env.REDIS_URL, DATABASE_URL: database.url, ...objectStoreEnv(bucket.config) }
        : {};
    const server = await startNodeServer({
      name: `${app}-bundle`,
      script: join(dist, "server.js"),
      nodeArgs: ["--require", RECORDER],
      env: {
        ...stores,
        SESSION_SECRET: "s".repeat(32),
        JWT_SECRET: "j".repeat(32),
        LOADED_MODULES_FILE: loadedFile,
        BUNDLE_DIR: dist,
      },
    });
    // A request through the app, and readiness: whatever its stores' clients load on first use is loaded.
    await fetch(`${server.url}/products`);
    await fetch(`${server.url}/readyz`);
    await server.process.stop();
    const { modules, exitStack, libraryPlace, libraryTrace } = JSON.parse(await readFile(loadedFile, "utf8")) as {
      modules: string[];
      exitStack: string;
      libraryPlace: string;
      libraryTrace: string | null;
    };
    expect(modules.map((file) => relative(dist, file))).toEqual(["server.js"]);
    // The server's own shutdown exits the process: the trace names the file and line that did.
    expect(exitStack).toMatch(new RegExp(`${join(root, "packages", "http-kit", "src", "run-server.ts")}:\\d+:\\d+`));
    // A frame in a library's code is not blamed on the last of our files before it in the bundle.
    expect(libraryTrace).toBe(`Error: library\n    at check (${libraryPlace})`);
  });
});

describe("V8's code cache beside a built server", () => {
  // A copy of the stateful server (it needs no store), with a cache folder of its own.
  let dist: string;
  const cacheFiles = async () => (await readdir(join(dist, ".cache")).catch(() => [])).filter((f) => f.endsWith(".v8"));
  const startAndStop = async () => {
    const server = await startNodeServer({
      name: "stateful-cache",
      script: join(dist, "server.js"),
      env: { SESSION_SECRET: "s".repeat(32) },
    });
    await fetch(`${server.url}/products`);
    await server.process.stop();
  };

  beforeAll(async () => {
    dist = join(await mkdtemp(join(tmpdir(), "server-cache-")), "dist");
    await mkdir(dist);
    const built = join(root, "apps", "stateful", "dist");
    for (const file of ["server.js", "server.bundle.js", "server.bundle.js.map"])
      await copyFile(join(built, file), join(dist, file));
  });
  afterAll(() => rm(dirname(dist), { recursive: true, force: true }));

  it("is made by the first server, used as it is by the next, and made again when V8 refuses it", async () => {
    await startAndStop();
    const [file] = await cacheFiles();
    expect(file).toContain(`-${process.version}-${process.arch}.v8`);
    const cache = join(dist, ".cache", file!);
    const made = await stat(cache);
    // Far more than the few functions a file's load compiles: what the start and a request did.
    expect(made.size).toBeGreaterThan(1_000_000);

    await startAndStop();
    expect((await stat(cache)).mtimeMs).toBe(made.mtimeMs);

    await writeFile(cache, "not V8's code cache");
    await startAndStop();
    expect(await cacheFiles()).toEqual([file]);
    expect((await stat(cache)).size).toBeGreaterThan(1_000_000);
  });
});
