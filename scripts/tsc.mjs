// TypeScript 7's tsc, the native compiler (package.json's typescript-native), found by its path:
// `tsc` on PATH may be 5.9's, which typescript-eslint brings as the library it reads TypeScript
// through. The build and `pnpm typecheck` run it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where 7's tsc is (its package exports no path to it, only its package.json). */
export function compilerPath() {
  const manifest = createRequire(import.meta.url).resolve("typescript-native/package.json");
  return join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin.tsc);
}
