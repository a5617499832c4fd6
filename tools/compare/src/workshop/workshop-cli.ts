#!/usr/bin/env node
// `pnpm workshop`: both clusters, started as `pnpm compare` starts them, and a dashboard page to
// drive them by hand in front of an audience. Runs until Ctrl-C, which stops every process it started.
import { ManagedProcess, MissingToolError } from "@cart/local-infra";
import { Command, CommanderError, Option } from "commander";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BALANCER_KINDS, type BalancerKind } from "../balancer/load-balancer";
import { wholeNumber } from "../cli-args";
import { createDashboardApp } from "./dashboard-server";
import { MAX_INSTANCES, Workshop } from "./workshop";

const program = new Command()
  .name("pnpm workshop")
  .description(
    "Start both clusters (stateful and stateless, each behind its balancer, one private Redis) and serve a live dashboard to shop, crash servers and replay the journeys by hand.",
  )
  .option("--port <port>", "the dashboard's port on 127.0.0.1 (0: any free port)", wholeNumber(0, 65535), 8090)
  .option("--instances <n>", `instances per app at start (1-${MAX_INSTANCES})`, wholeNumber(1, MAX_INSTANCES), 3)
  .addOption(
    new Option("--lb <kind>", "load balancer: built-in (no install) or real haproxy processes from PATH")
      .choices(BALANCER_KINDS)
      .default("builtin"),
  )
  .option("--chaos-seconds <n>", "how long a replayed chaos journey goes on (2-120)", wholeNumber(2, 120), 10)
  .option("--trace", "also print every process started, with its PID")
  .addHelpText(
    "after",
    "\nOpen the printed address in a browser; every button has a keyboard shortcut (shown on it).\nThe page needs no network: no CDN, no web fonts. Ctrl-C stops everything.",
  )
  .exitOverride();

interface CliOptions {
  port: number;
  instances: number;
  lb: BalancerKind;
  chaosSeconds: number;
  trace?: boolean;
}

async function main(): Promise<number | undefined> {
  try {
    program.parse();
  } catch (error) {
    return error instanceof CommanderError && error.exitCode === 0 ? 0 : 2;
  }
  const options = program.opts<CliOptions>();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  process.on("exit", () => ManagedProcess.killAllNow());

  // The port first: a taken port is found out before any cluster is started.
  const server = createServer();
  const listening = await new Promise<Error | undefined>((resolve) => {
    server.once("error", resolve);
    server.listen(options.port, "127.0.0.1", () => resolve(undefined));
  });
  if (listening) {
    const taken = (listening as NodeJS.ErrnoException).code === "EADDRINUSE";
    say(taken ? `Port ${options.port} is taken: pick another with --port (0 picks a free one).` : listening.message);
    return 2;
  }

  let workshop: Workshop | undefined;
  const stopEverything = (signal: string) => {
    say(`\n${signal}: stopping every process the workshop started…`);
    server.closeAllConnections();
    server.close();
    void (workshop?.stop() ?? Promise.resolve()).then(() => ManagedProcess.stopAll()).finally(() => process.exit(0));
  };
  process.once("SIGINT", () => stopEverything("SIGINT"));
  process.once("SIGTERM", () => stopEverything("SIGTERM"));

  say(`Starting ${options.instances} instances of each app behind the ${options.lb} balancer, and a private Redis…`);
  try {
    workshop = await Workshop.start({
      instances: options.instances,
      lb: options.lb,
      chaosSeconds: options.chaosSeconds,
      onProcessStart: options.trace ? (owner, id, pid) => say(`  [${owner}] started ${id} (pid ${pid})`) : undefined,
    });
    server.on("request", createDashboardApp(workshop));
  } catch (error) {
    say(error instanceof MissingToolError ? error.message : `workshop could not start: ${(error as Error).message}`);
    await ManagedProcess.stopAll();
    return 2;
  }
  const { port } = server.address() as AddressInfo;
  say(`Dashboard: http://127.0.0.1:${port}/`);
  say("Press Ctrl-C to stop everything.");
  return undefined;
}

void main().then((code) => {
  if (code !== undefined) process.exit(code);
});
