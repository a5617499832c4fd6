// Which file an import names, as far as the audit follows it: the app's own code and its
// workspace's packages (a relative import, or a package linked from outside node_modules, as
// pnpm, npm and yarn workspaces link them), never a dependency installed from a registry, whose
// state the rules know by its name (express-session, multer…) and not by reading it.
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

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

/** A folder's package.json; none when it has none, or one that is not JSON (a template's, say). */
function readPackageJson(root: string): PackageJson | undefined {
  const file = join(root, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

const packages = new Map<string, { readonly root: string; readonly name: string } | null>();

/** The package `file` belongs to (the nearest folder with a package.json that names one), if any. */
function packageOf(file: string): { readonly root: string; readonly name: string } | undefined {
  const dir = dirname(file);
  const known = packages.get(dir);
  if (known !== undefined) return known ?? undefined;
  const name = readPackageJson(dir)?.name;
  const found = name ? { root: dir, name } : dirname(dir) === dir ? undefined : packageOf(dir);
  packages.set(dir, found ?? null);
  return found;
}

/** Folders the audit does not read: dependencies, builds, and tests (whose helpers keep what they saw on purpose). */
export const SKIPPED_FOLDERS = ["node_modules", "dist", "build", "coverage", "test", "tests", "__tests__"];
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** Whether `file` is among the files audited from `root` (then its own findings are reported in it). */
export function isAudited(file: string, root: string): boolean {
  // A buffer with no path ("<input>"): what is being linted.
  if (!isAbsolute(file)) return true;
  const path = relative(root, file);
  if (path.startsWith("..") || path === file) return false;
  return !path.split(sep).some((folder) => SKIPPED_FOLDERS.includes(folder)) && !TEST_FILE.test(path);
}

/**
 * How a place in `file` is named in a report about `root`: its path from there when it is in the
 * same package (or under `root`), else its path in its package, after the package's name
 * (`@cart/memory-kit/src/…`).
 */
export function placeName(file: string, root: string): string {
  const posix = (path: string) => path.split(sep).join("/");
  if (!isAbsolute(file)) return file;
  const own = packageOf(file);
  const path = relative(root, file);
  if (!path.startsWith("..") || !own || own.root === packageOf(join(root, "index.js"))?.root) return posix(path);
  return `${own.name}/${posix(relative(own.root, file))}`;
}
