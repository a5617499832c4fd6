#!/usr/bin/env node
// `pnpm infra:render`: writes infra/haproxy/*.cfg for the Docker Compose stack from the source the
// suite uses, so the two never drift (a test fails if the committed files are out of date).
import { Command } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { composeHaproxyFiles } from "../balancer/compose-haproxy";
import { EXIT, runCommand } from "./runner";

const ROOT = join(__dirname, "..", "..", "..", "..");

const program = new Command()
  .name("pnpm infra:render")
  .description("Write infra/haproxy/{stateful,stateless}.cfg for Docker Compose from the suite's HAProxy source.");

runCommand<Record<string, never>>({
  program,
  async run(_options, { say }) {
    for (const { path, content } of composeHaproxyFiles()) {
      await mkdir(dirname(join(ROOT, path)), { recursive: true });
      await writeFile(join(ROOT, path), content);
      say(`wrote ${path}`);
    }
    return EXIT.ok;
  },
});
