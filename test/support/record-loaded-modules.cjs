// Preloaded (node --require) by server-bundle.test.ts: when the server exits, writes to
// LOADED_MODULES_FILE every module file it loaded and the sources of the bundle's source map as
// Node loaded it (none if Node did not).
const { writeFileSync } = require("node:fs");
const { findSourceMap } = require("node:module");
const { join } = require("node:path");

process.on("exit", () => {
  const bundle = join(process.env.BUNDLE_DIR, "server.bundle.js");
  const modules = Object.keys(require.cache).filter((file) => file !== module.filename);
  const sources = findSourceMap(bundle)?.payload.sources ?? [];
  writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify({ modules, sources }));
});
