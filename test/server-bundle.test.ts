// Each app's server as `pnpm build` leaves it (scripts/build.mjs): one bundle, so that a start reads
// one file instead of hundreds, with source maps on so that a stack trace still names our files.
import { startNodeServer } from "@cart/local-infra";
import { scratchDatabase } from "@cart/pg-kit";
import { objectStoreEnv, objectStoreFromEnv, scratchBucket } from "@cart/s3-kit";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

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

  it("loads its code from the one bundle, no module file besides, and maps it back to our TypeScript files, and only those", async () => {
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
    const { modules, sources, libraryMapsTo, foundLibrary } = JSON.parse(await readFile(loadedFile, "utf8")) as {
      modules: string[];
      sources: string[];
      libraryMapsTo: string | null;
      foundLibrary: boolean;
    };
    expect(modules.map((file) => relative(dist, file)).sort()).toEqual(["server.bundle.js", "server.js"]);
    expect(sources).toContain(pathToFileURL(join(root, "apps", app, "src", "server.ts")).href);
    expect(sources).toContain(pathToFileURL(join(root, "packages", "http-kit", "src", "create-shop-app.ts")).href);
    expect(sources.filter((source) => source.includes("node_modules"))).toEqual([]);
    // A frame in a library's code is not blamed on the last of our files before it in the bundle.
    expect({ foundLibrary, libraryMapsTo }).toEqual({ foundLibrary: true, libraryMapsTo: null });
  });
});
