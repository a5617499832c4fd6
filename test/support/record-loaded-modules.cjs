// Preloaded (node --require) by server-bundle.test.ts: when the server exits, writes to
// LOADED_MODULES_FILE every module file it loaded, the sources of the bundle's source map as Node
// loaded it (none if Node did not), and where that map takes a position in library code: zod's,
// which the bundle holds after the first of our files (a map that merely left the libraries' lines
// out would take it to that file of ours).
const { readFileSync, writeFileSync } = require("node:fs");
const { findSourceMap } = require("node:module");
const { join } = require("node:path");

const LIBRARY_TEXT = "Unrecognized key";

process.on("exit", () => {
  const bundle = join(process.env.BUNDLE_DIR, "server.bundle.js");
  const modules = Object.keys(require.cache).filter((file) => file !== module.filename);
  const map = findSourceMap(bundle);
  const lines = readFileSync(bundle, "utf8").split("\n");
  const line = lines.findIndex((text) => text.includes(LIBRARY_TEXT));
  const entry = map && line >= 0 ? map.findEntry(line, lines[line].indexOf(LIBRARY_TEXT)) : undefined;
  writeFileSync(
    process.env.LOADED_MODULES_FILE,
    JSON.stringify({
      modules,
      sources: map?.payload.sources ?? [],
      libraryMapsTo: entry?.originalSource ?? null,
      foundLibrary: line >= 0,
    }),
  );
});
