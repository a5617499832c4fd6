"use strict";
// An app's dist/server.js, copied there by scripts/build.mjs: it runs server.bundle.js (src/server.ts
// and everything it imports, in one file) with two things a plain `require` would not give it.
//
// V8's code cache, kept in .cache/ beside this file. Node's own compile cache keeps only what V8
// compiled while the file loaded, and V8 compiles most functions later, when they are first called:
// here the cache is made once the server has run for a second (or when it stops, if sooner), so it
// holds what a start and the first requests compiled. A server that finds it compiles almost
// nothing. Its name says which bundle and which Node made it, and it is made again when V8 refuses
// it all the same; a server that may not write there (a read-only file system) neither makes one
// nor tries, and starts as without it. NODE_DISABLE_COMPILE_CACHE turns it off, as it does Node's.
//
// Stack traces that name our TypeScript files (server.bundle.js.map), the map read at the first
// trace that needs it: Node's own source maps would scan the whole bundle at every start.
const {
  accessSync,
  closeSync,
  constants: fsConstants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} = require("node:fs");
const { createRequire, Module, SourceMap } = require("node:module");
const { join } = require("node:path");
const { clearTimeout, setTimeout } = require("node:timers");
const { fileURLToPath, pathToFileURL, URL } = require("node:url");
const { Script, constants } = require("node:vm");

const bundle = join(__dirname, "server.bundle.js");
const useCache = !process.env.NODE_DISABLE_COMPILE_CACHE;
// Named by what V8 checks the cache against, and by the bundle it was made from (V8 itself checks
// only the source's length): the size and time of the very file read, a build meanwhile or not.
const bundleFile = openSync(bundle, "r");
const { size, mtimeMs } = fstatSync(bundleFile);
// esbuild writes ASCII only (non-ASCII characters escaped; the build checks): read as latin1, which
// skips UTF-8's decoding, the same string in half the time.
const source = readFileSync(bundleFile, "latin1");
closeSync(bundleFile);
const cacheDir = join(__dirname, ".cache");
const cacheFile = join(cacheDir, `server.bundle-${size}-${Math.trunc(mtimeMs)}-${process.version}-${process.arch}.v8`);

const cachedData = useCache ? readIfThere(cacheFile) : undefined;
const script = new Script(Module.wrap(source), {
  filename: bundle,
  cachedData,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (useCache && (cachedData === undefined || script.cachedDataRejected) && canWrite(cacheDir)) {
  const save = () => {
    clearTimeout(timer);
    process.off("exit", save);
    writeCache(script.createCachedData());
  };
  const timer = setTimeout(save, 1000).unref();
  process.on("exit", save);
}

let bundleMap;
Error.prepareStackTrace = (error, callSites) => {
  let header;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = "<error>";
  }
  return [header, ...callSites.map((site) => `    at ${located(site)}`)].join("\n");
};
const bundleURL = pathToFileURL(bundle);

const bundleModule = new Module(bundle, module);
bundleModule.filename = bundle;
script
  .runInThisContext()
  .call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, __dirname);

/** The call site as V8 writes it, a place in the bundle replaced by the place in our file it came from. */
function located(site) {
  const text = String(site);
  if (site.getFileName() !== bundle) return text;
  try {
    bundleMap ??= new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    const { originalSource, originalLine, originalColumn } = bundleMap.findEntry(line - 1, column - 1);
    // A library's code is left as it is: the map holds our files only.
    if (originalSource === undefined) return text;
    const file = fileURLToPath(new URL(originalSource, bundleURL));
    return text.replace(`${bundle}:${line}:${column}`, `${file}:${originalLine + 1}:${originalColumn + 1}`);
  } catch {
    // No map (deleted, unreadable): the bundle's own place, as without one.
    return text;
  }
}

function readIfThere(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function canWrite(dir) {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Written whole or not at all: servers starting together may each write it. */
function writeCache(data) {
  try {
    const partial = `${cacheFile}.${process.pid}`;
    writeFileSync(partial, data);
    renameSync(partial, cacheFile);
  } catch {
    // Not writable here: the next start compiles as this one did.
  }
}
