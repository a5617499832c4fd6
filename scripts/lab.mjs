#!/usr/bin/env node
// `pnpm lab:reset`: makes the workshop's lab, a fresh copy of the stateful app in apps/lab/src
// for attendees to make stateless (docs/workshop.md). `--solved` adds the expected answer: the
// stateless app's Redis repositories and apps/lab/solution/. Never overwrites work without --force.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeLabSources } from "./lab-tree.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const labHome = join(root, "apps", "lab");
const usage = `Usage: pnpm lab:reset [--solved] [--force] [--dir <dir>]

  --solved     add the expected answer (for the facilitator, or to compare with yours)
  --force      replace a lab that already exists (its src/ is deleted)
  --dir <dir>  make the lab there instead of apps/lab (it must be inside apps/lab)

Then: pnpm compare --app lab    (with --dir: LAB_DIR=<dir> pnpm compare --app lab)`;

function fail(message) {
  console.error(`lab: ${message}`);
  process.exit(1);
}

let options;
try {
  options = parseArgs({
    options: {
      solved: { type: "boolean" },
      force: { type: "boolean" },
      dir: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
} catch (error) {
  fail(`${error.message}\n${usage}`);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}

const dir = resolve(options.dir ?? labHome);
// The lab's dependencies are installed in apps/lab/node_modules: Node finds them from inside apps/lab only.
if (dir !== labHome && !dir.startsWith(labHome + sep)) fail(`${dir} is not inside ${labHome}`);
const src = join(dir, "src");
if (existsSync(src) && !options.force) {
  fail(`${relative(root, src)} already exists (your work?): add --force to replace it`);
}

rmSync(src, { recursive: true, force: true });
rmSync(join(dir, "dist"), { recursive: true, force: true });
writeLabSources(root, src, { solved: options.solved });

// The compiler settings every package here uses (strict), with paths from wherever the lab is.
const up = relative(dir, root).split(sep).join("/");
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(
  join(dir, "tsconfig.build.json"),
  json({
    extends: `${up}/tsconfig.base.json`,
    compilerOptions: { rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo" },
    references: ["cart-domain", "http-kit", "redis-kit"].map((name) => ({
      path: `${up}/packages/${name}/tsconfig.build.json`,
    })),
    include: ["src"],
  }),
);
// For editors: the workspace packages' sources, as in every other package.
writeFileSync(
  join(dir, "tsconfig.json"),
  json({
    extends: `${up}/tsconfig.base.json`,
    compilerOptions: { noEmit: true, composite: false, declaration: false, customConditions: ["@cart/source"] },
    include: ["src"],
  }),
);

const where = relative(root, dir);
console.log(`lab: ${where}/src is ${options.solved ? "the expected answer" : "a fresh copy of apps/stateful/src"}.`);
console.log(`Check it with: ${dir === labHome ? "" : `LAB_DIR=${where} `}pnpm compare --app lab`);
