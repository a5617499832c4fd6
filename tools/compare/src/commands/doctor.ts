#!/usr/bin/env node
// `pnpm run doctor` (bare `pnpm doctor` is pnpm's own check of its set-up): every program outside npm
// that the project uses, what this machine has, and the line that installs what it lacks. Exit 0
// when everything required is there (optional programs only widen what runs), 2 when something
// required is missing.
import { PREREQUISITES } from "@cart/local-infra";
import { Command } from "commander";
import { EXIT, runCommand } from "./runner";

const program = new Command()
  .name("pnpm run doctor")
  .description(
    "List every prerequisite (Node.js, pnpm, redis-server, PostgreSQL, haproxy, Chromium, docker-compose): " +
      "found, or how to install it.",
  )
  .addHelpText("after", "\nExit code: 0 when every required program is there, 2 when one is missing.");

runCommand<Record<string, never>>({
  program,
  async run(_options, { say }) {
    const platform = process.platform === "darwin" ? "macos" : "debian";
    let requiredMissing = 0;
    for (const tool of PREREQUISITES) {
      const result = tool.find();
      const label = `${tool.name} (${tool.required ? "required" : "optional"})`.padEnd(26);
      if ("found" in result) {
        say(`ok       ${label} ${result.found}`);
        continue;
      }
      if (tool.required) requiredMissing++;
      say(`MISSING  ${label} ${result.missing}; needed for ${tool.neededFor}`);
      say(`         install: ${tool.install[platform]}`);
    }
    say(
      requiredMissing > 0
        ? `${requiredMissing} required program(s) missing: install them, then run pnpm run doctor again.`
        : "Everything required is here. Without an optional program, what needs it is skipped by pnpm test " +
            "(CI=true fails instead) and refused in one line by the commands.",
    );
    return requiredMissing > 0 ? EXIT.setUp : EXIT.ok;
  },
});
