// Preloaded (node --require) by server-bundle.test.ts: when the server exits, writes to
// LOADED_MODULES_FILE every module file it loaded, the stack trace of its exit (called from our
// run-server.ts, inside the bundle), and how a place in library code is written in a trace: zod's,
// which the bundle holds after the first of our files (a map that merely left the libraries'
// lines out would take it to that file of ours).
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const LIBRARY_TEXT = "Unrecognized key";

process.on("exit", () => {
  const bundle = join(process.env.BUNDLE_DIR, "server.bundle.js");
  const modules = Object.keys(require.cache).filter((file) => file !== module.filename);
  const lines = readFileSync(bundle, "utf8").split("\n");
  const line = lines.findIndex((text) => text.includes(LIBRARY_TEXT));
  const [lineNumber, columnNumber] = [line + 1, lines[line].indexOf(LIBRARY_TEXT) + 1];
  const libraryPlace = `${bundle}:${lineNumber}:${columnNumber}`;
  // A call site as V8 hands it to Error.prepareStackTrace, in zod's code.
  const librarySite = {
    getFileName: () => bundle,
    getLineNumber: () => lineNumber,
    getColumnNumber: () => columnNumber,
    toString: () => `check (${libraryPlace})`,
  };
  writeFileSync(
    process.env.LOADED_MODULES_FILE,
    JSON.stringify({
      modules,
      exitStack: new Error("exit").stack,
      libraryPlace,
      libraryTrace: Error.prepareStackTrace?.(new Error("library"), [librarySite]) ?? null,
    }),
  );
});
