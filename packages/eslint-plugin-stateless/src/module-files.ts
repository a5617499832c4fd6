// Which file an import names, as far as the audit follows it: the app's own code and its
// workspace's packages (a relative import, or a package linked from outside node_modules, as
// pnpm, npm and yarn workspaces link them), never a dependency installed from a registry, whose
// state the rules know by its name (express-session, multer…) and not by reading it.
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

interface PackageJson {
  readonly name?: string;
  readonly main?: string;
  readonly exports?: unknown;
}

/** The file `specifier`, imported from `fromFile`, names; undefined when it is not followed or not found. */
export function resolveImport(specifier: string, fromFile: string): string | undefined {
  if (specifier.startsWith(".")) return asSourceFile(resolve(dirname(fromFile), specifier));
  if (specifier.startsWith("node:") || specifier.startsWith("/")) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  const subpath = parts.slice(specifier.startsWith("@") ? 2 : 1).join("/");
  for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
    const linked = join(dir, "node_modules", name);
    if (existsSync(linked)) {
      const real = realpathSync(linked);
      // Installed, not linked from the workspace: a dependency, not the app's code.
      if (real.split(sep).includes("node_modules")) return undefined;
      return subpath ? asSourceFile(join(real, subpath)) : packageEntry(real);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * A package's entry, its source first: of the files its `exports` map names for "." (under any
 * condition, in order) and its `main`, the first that is a source file here (not a declaration
 * file), so that a workspace package is read as written even before it is built.
 */
function packageEntry(root: string): string | undefined {
  const manifest = readPackageJson(root);
  if (!manifest) return asSourceFile(join(root, "index"));
  const exported = manifest.exports;
  const dot =
    typeof exported === "object" && exported !== null && "." in exported
      ? (exported as Record<string, unknown>)["."]
      : exported;
  const targets = [...targetsOf(dot), manifest.main ?? "index"].filter((target) => !/\.d\.[cm]?ts$/.test(target));
  const sources = targets.filter((target) => /\.[cm]?tsx?$/.test(target));
  for (const target of [...sources, ...targets]) {
    const file = asSourceFile(join(root, target));
    if (file) return file;
  }
  return undefined;
}

function targetsOf(entry: unknown): string[] {
  if (typeof entry === "string") return [entry];
  if (Array.isArray(entry)) return entry.flatMap(targetsOf);
  if (typeof entry === "object" && entry !== null) return Object.values(entry).flatMap(targetsOf);
  return [];
}

/** `path` as a file, with the extensions a bundler or TypeScript tries, or its folder's index. */
function asSourceFile(path: string): string | undefined {
  const isFile = (candidate: string) => existsSync(candidate) && statSync(candidate).isFile();
  if (isFile(path)) return path;
  // TypeScript's ESM style: `./cart.js` is written for `./cart.ts`.
  const bare = path.replace(/\.[cm]?jsx?$/, "");
  for (const extension of EXTENSIONS) if (isFile(bare + extension)) return bare + extension;
  for (const extension of EXTENSIONS)
    if (isFile(join(path, `index${extension}`))) return join(path, `index${extension}`);
  return undefined;
}

function readPackageJson(root: string): PackageJson | undefined {
  const file = join(root, "package.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PackageJson) : undefined;
}

/** The folder of the package `file` belongs to (the nearest with a package.json), and its name. */
export function packageOf(file: string): { readonly root: string; readonly name: string | undefined } {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = readPackageJson(dir);
    if (manifest) return { root: dir, name: manifest.name };
    if (dirname(dir) === dir) return { root: dirname(file), name: undefined };
  }
}

/** How a finding in `file` is named to a reader of `fromFile`: its path in its package, and the package's name when it is another. */
export function placeName(file: string, fromFile: string): string {
  const own = packageOf(file);
  const path = relative(own.root, file).split(sep).join("/");
  return own.root === packageOf(fromFile).root || !own.name ? path : `${own.name}/${path}`;
}
