#!/usr/bin/env node
// `pnpm lab:reset`: makes the workshop's lab, a fresh copy of the stateful app in apps/lab/src
// for attendees to make stateless (docs/workshop.md), with hints as comments above the lines each
// part changes (`// LAB HINT`). `--solved` adds the expected answer (of every part, or of parts
// 1..N with `--part N`; apps/lab/parts.json), and keeps the hints of the parts after it. Never
// overwrites work without --force.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { labParts, writeLabSources } from "./lab-tree.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const labHome = join(root, "apps", "lab");
const parts = labParts(root);
const usage = `Usage: pnpm lab:reset [--solved [--part <n>]] [--force] [--dir <dir>]

  --solved     add the expected answer (for the facilitator, or to compare with yours)
  --part <n>   with --solved: the answer of parts 1 to n only:
${parts.map((p) => `                 ${p.part}. ${p.name}`).join("\n")}
  --force      replace a lab that already exists (its src/ is deleted)
  --dir <dir>  make the lab there instead of apps/lab (it must be inside apps/lab)

Then: pnpm lab:check --part <n> [--dir <dir>]   (judged by the part's journeys; --diff: yours beside the answer)`;

function fail(message) {
  console.error(`lab: ${message}`);
  process.exit(1);
}

let options;
try {
  options = parseArgs({
    options: {
      solved: { type: "boolean" },
      part: { type: "string" },
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

const part = options.part === undefined ? parts.length : Number(options.part);
if (!Number.isInteger(part) || part < 1 || part > parts.length)
  fail(`--part must be a whole number from 1 to ${parts.length}`);
if (options.part !== undefined && !options.solved) fail("--part goes with --solved: a fresh lab has no answer in it");

const dir = resolve(options.dir ?? labHome);
// The lab's dependencies are installed in apps/lab/node_modules: Node finds them from inside apps/lab only.
if (dir !== labHome && !dir.startsWith(labHome + sep)) fail(`${dir} is not inside ${labHome}`);
const src = join(dir, "src");
if (existsSync(src) && !options.force) {
  fail(`${relative(root, src)} already exists (your work?): add --force to replace it`);
}

rmSync(src, { recursive: true, force: true });
rmSync(join(dir, "dist"), { recursive: true, force: true });
writeLabSources(root, src, { solvedParts: options.solved ? part : 0 });

// The compiler settings every package here uses (strict), with paths from wherever the lab is.
const up = relative(dir, root).split(sep).join("/");
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(
  join(dir, "tsconfig.build.json"),
  json({
    extends: `${up}/tsconfig.base.json`,
    compilerOptions: { rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo" },
    references: ["cart-domain", "disk-kit", "http-kit", "memory-kit", "pg-kit", "redis-kit", "s3-kit"].map((name) => ({
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
const made = options.solved ? `the expected answer of part(s) 1 to ${part}` : "a fresh copy of apps/stateful/src";
const next = options.solved ? part + 1 : 1;
const hinted = part < parts.length || !options.solved ? ", with hints (// LAB HINT) for the parts after it" : "";
console.log(`lab: ${where}/src is ${made}${hinted}.`);
if (next <= parts.length)
  console.log(
    `Next: part ${next}, ${parts[next - 1].name} (docs/parts/); check it with ` +
      `pnpm lab:check --part ${next}${dir === labHome ? "" : ` --dir ${where}`}`,
  );
