#!/usr/bin/env node
// `pnpm infra:render`: writes infra/haproxy/*.cfg for the Docker Compose stack from the source the
// suite uses, so the two never drift (a test fails if the committed files are out of date).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { composeHaproxyFiles } from "./balancer/compose-haproxy";

const root = join(__dirname, "..", "..", "..");

async function main(): Promise<void> {
  for (const { path, content } of composeHaproxyFiles()) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}

void main();
