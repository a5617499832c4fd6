#!/usr/bin/env node
// `pnpm typecheck`: every package, the tests and the dashboard's page type-checked by TypeScript 7
// (strict, as tsconfig.base.json says), one after another; each compiler's errors as it prints them.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compilerPath } from "./tsc.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const usage = `Usage: pnpm typecheck

Type-checks with TypeScript 7, each as its tsconfig.json says (tsc -p <config>):
every package (apps/*, packages/*, tools/*, their tests included; not the workshop's lab, which
pnpm lab:check compiles), the root test folder and the dashboard's page. Exit code: 0 when all
of them are clean, 1 otherwise (the compiler's errors above), 2 for an argument it does not take.`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(usage);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`typecheck: takes no arguments (${args.join(" ")})\n\n${usage}`);
  process.exit(2);
}

// Every package has one: a package without is an error, not a package left out.
const packages = ["apps", "packages", "tools"].flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((name) => existsSync(join(root, folder, name, "package.json")))
    .filter((name) => !(folder === "apps" && name === "lab"))
    .map((name) => join(root, folder, name)),
);
const missing = packages.filter((dir) => !existsSync(join(dir, "tsconfig.json")));
if (missing.length > 0) {
  console.error(`typecheck: no tsconfig.json in ${missing.map((dir) => relative(root, dir)).join(", ")}`);
  process.exit(1);
}
const configs = [
  ...packages.map((dir) => join(dir, "tsconfig.json")),
  join(root, "test", "tsconfig.json"),
  join(root, "tools", "compare", "web", "tsconfig.json"),
];

// One after another: 7's tsc checks a program's files on several threads itself.
let clean = true;
for (const config of configs) {
  const tsc = spawnSync(process.execPath, [compilerPath(), "-p", relative(root, config)], {
    cwd: root,
    stdio: "inherit",
  });
  clean = tsc.status === 0 && clean;
}
process.exit(clean ? 0 : 1);
