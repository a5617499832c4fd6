#!/usr/bin/env node
// The build every command runs first: `tsc -b` (every package compiled and type-checked), then
// each app's server made into one file, so that it starts fast. A server is cattle: a rolling
// deploy, a crash's replacement and an autoscaler wait for its start, and a start spent most of
// its time in Node's module loader, finding, reading and compiling each of about 1,200 files (the
// stateless app's). `pnpm bench --startup` measures a start (docs/costs.md, "Start-up").
//
// For each app, apps/<app>/dist/ gets:
//   server.bundle.js      src/server.ts and everything it imports (our kits from their TypeScript
//                         sources, the libraries from node_modules) in one CommonJS file, by
//                         esbuild; without spaces and comments, which makes it a third smaller
//                         (every start reads it, scans it for its source map and parses it); its
//                         names kept
//   server.bundle.js.LEGAL.txt  the libraries' licence comments taken out of it
//   server.bundle.js.map  its source map, our own files only (own-source-map.mjs), named in the
//                         bundle: Node reads it at every start
//   server.bundle.full.map  the whole source map, libraries too, which Node never reads: for tools
//                         (`pnpm bench --profile` charges each function of the bundle to its package)
//   server.js             what `node dist/server.js` runs (server-launcher.cjs): the bundle with
//                         V8's code cache (dist/.cache, emptied when the bundle is made again),
//                         and stack traces that name our .ts files. It replaces tsc's own
//                         server.js (the same code, unbundled).
//   server.bundle.inputs.json  the files the bundle was made from, written last: a bundle newer
//                         than all of them is kept, so the build a command runs first costs little
//                         when nothing changed
// `--help` says how to run it.
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ownSourceMap } from "./own-source-map.mjs";
import { compilerPath } from "./tsc.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const APPS = ["stateful", "stateless"];

const usage = `Usage: node scripts/build.mjs [app...]   (pnpm build builds the dashboard's page, then runs it)
       node scripts/build.mjs --lab <dir>

Compiles every package (tsc -b, TypeScript 7), then bundles each app's server into one file
that starts fast: apps/<app>/dist/server.bundle.js (esbuild, from the sources),
its source map (our files only), and dist/server.js, which runs it with V8's
code cache (dist/.cache) and stack traces that name our files. A bundle newer
than every file it was made from is kept. Every pnpm command that runs a server runs this first.

  app...      only these apps (${APPS.join(", ")}) and the packages they use,
              as the Dockerfile builds one
  --lab <dir> build only the workshop's lab in <dir>: compile it, then bundle its
              server as an app's (pnpm lab:check and pnpm compare --app lab do)
  -h, --help  this help

Exit code: 0; tsc's when a package or the lab does not compile (or --lab names no
lab); 1 when a server cannot be bundled; 2 for an unknown app or a wrong argument.`;

let apps;
let lab;
try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" }, lab: { type: "string" } },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  apps = positionals;
  if (values.lab !== undefined) {
    if (!values.lab) throw new Error("--lab needs the lab's folder");
    if (apps.length) throw new Error("--lab builds the lab alone: name no app with it");
    lab = resolve(values.lab);
  }
} catch (error) {
  console.error(`build: ${error.message}\n\n${usage}`);
  process.exit(2);
}
for (const app of apps) {
  if (!APPS.includes(app)) {
    console.error(`build: no app "${app}" (the apps: ${APPS.join(", ")})`);
    process.exit(2);
  }
}

// TypeScript 7, the native compiler (scripts/tsc.mjs): a build of every package in a fifth of
// 5.9's time, the same JavaScript out. 5.9 is the library typescript-eslint and the state audit
// read TypeScript through (docs/setup.md).
const projects = lab
  ? [join(lab, "tsconfig.build.json")]
  : apps.length
    ? apps.map((app) => `apps/${app}/tsconfig.build.json`)
    : ["tsconfig.build.json"];
const tsc = spawnSync(process.execPath, [compilerPath(), "-b", ...projects], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// The lab's servers start as the apps' do: a lab's check starts some twenty, each in half the CPU.
for (const home of lab ? [lab] : (apps.length ? apps : APPS).map((app) => join(root, "apps", app))) {
  await bundleServer(home).catch((error) => {
    console.error(`build: could not bundle ${join(home, "src", "server.ts")}: ${error.message}`);
    process.exit(1);
  });
}

/** The app's launcher, and its bundle and maps when they are out of date. */
async function bundleServer(home) {
  const dist = join(home, "dist");
  const bundle = join(dist, "server.bundle.js");
  const inputsFile = join(dist, "server.bundle.inputs.json");
  const launcher = join(dist, "server.js");
  if (!isUpToDate(dist, inputsFile)) {
    // First: the code V8 compiled from the bundle before, which V8 might take for this one's.
    rmSync(join(dist, ".cache"), { recursive: true, force: true });
    const esbuild = await import("esbuild");
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [join(home, "src", "server.ts")],
      outfile: bundle,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node22",
      // Our kits from their sources, as Jest and tsx see them (package.json's "@cart/source").
      conditions: ["@cart/source"],
      // pg's optional native binding, which pg only tries when asked for (never here).
      external: ["pg-native"],
      // Written without the comment that names it: Node is pointed at our files' map instead.
      sourcemap: "external",
      sourcesContent: false,
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: "external",
      // Names stay as written (no minifyIdentifiers): a stack trace's functions are still ours.
      metafile: true,
      logLevel: "warning",
    });
    // The launcher reads the bundle as latin1: esbuild's default charset (ASCII) keeps that true.
    const nonAscii = readFileSync(bundle).findIndex((byte) => byte > 0x7f);
    if (nonAscii !== -1) throw new Error(`${bundle}: a byte that is not ASCII at offset ${nonAscii}`);
    const fullMap = join(dist, "server.bundle.full.map");
    renameSync(`${bundle}.map`, fullMap);
    writeFileSync(`${bundle}.map`, JSON.stringify(ownSourceMap(JSON.parse(readFileSync(fullMap, "utf8")))));
    appendFileSync(bundle, "//# sourceMappingURL=server.bundle.js.map\n");
    // Last: a build stopped before this point is made again by the next.
    writeFileSync(inputsFile, `${JSON.stringify(Object.keys(result.metafile.inputs))}\n`);
  }
  const launcherSource = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "server-launcher.cjs"), "utf8");
  if (!existsSync(launcher) || readFileSync(launcher, "utf8") !== launcherSource)
    writeFileSync(launcher, launcherSource);
}

/**
 * Whether the bundle and its maps were made after the last change to any file they were made from,
 * or to what decides how those files are read: the packages' manifests (their exports), the
 * lockfile (esbuild's version among the rest), the TypeScript settings, and this script.
 */
function isUpToDate(dist, inputsFile) {
  const outputs = ["server.bundle.js", "server.bundle.js.map", "server.bundle.full.map", "server.bundle.inputs.json"];
  if (!outputs.every((output) => existsSync(join(dist, output)))) return false;
  const made = statSync(inputsFile).mtimeMs;
  const settings = [
    "pnpm-lock.yaml",
    "tsconfig.base.json",
    ...["apps", "packages"].flatMap((folder) =>
      readdirSync(join(root, folder)).map((name) => join(folder, name, "package.json")),
    ),
    fileURLToPath(import.meta.url),
    join(dirname(fileURLToPath(import.meta.url)), "own-source-map.mjs"),
  ].filter((path) => existsSync(resolve(root, path)));
  const inputs = [...JSON.parse(readFileSync(inputsFile, "utf8")), ...settings];
  return inputs.every((input) => {
    const path = resolve(root, input);
    return existsSync(path) && statSync(path).mtimeMs < made;
  });
}
