#!/usr/bin/env node
// `pnpm workshop`: both clusters, started as `pnpm compare` starts them, and a dashboard page to
// drive them by hand in front of an audience. Runs until Ctrl-C, which stops every process it started.
import { createHttpServer } from "@cart/http-kit";
import { Command, Option } from "commander";
import type { RequestListener, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BALANCER_KINDS, type BalancerKind } from "../vocabulary";
import { createDashboardApp } from "../workshop/dashboard-server";
import { answerWhileStarting } from "../workshop/starting-page";
import { MAX_INSTANCES, Workshop } from "../workshop/workshop";
import { wholeNumber } from "./options";
import { runCommand, UsageError } from "./runner";

interface WorkshopOptions {
  port: number;
  instances: number;
  lb: BalancerKind;
  chaosSeconds: number;
  trace?: boolean;
}

const program = new Command()
  .name("pnpm workshop")
  .description(
    "Start both clusters (stateful and stateless, each behind its balancer, one private Redis) and serve a live " +
      "dashboard to shop, crash servers and replay the journeys by hand.",
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
    [
      "",
      "Examples:",
      "  pnpm workshop                     the dashboard on http://127.0.0.1:8090/",
      "  pnpm workshop --lb haproxy --instances 4",
      "",
      "Open the printed address in a browser; every button has a keyboard shortcut (shown on it).",
      "Until the clusters are up (a few seconds) the address answers 503 with a page that reloads itself.",
      "The page needs no network: no CDN, no web fonts. Ctrl-C stops everything (exit 0).",
    ].join("\n"),
  );

runCommand<WorkshopOptions>({
  program,
  async run(options, { say, onInterrupt }) {
    // Every connection is answered from the first one on: "starting" until the clusters are up.
    let handle: RequestListener = answerWhileStarting;
    const server = createHttpServer((req, res) => handle(req, res), "workshop");
    // The port first: a taken port is found out before any cluster is started.
    await listen(server, options.port);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    say(`Dashboard (starting): ${url}`);

    onInterrupt(() => {
      server.closeAllConnections();
      server.close();
    });
    say(`Starting ${options.instances} instances of each app behind the ${options.lb} balancer, and a private Redis…`);
    const workshop = await Workshop.start({
      instances: options.instances,
      lb: options.lb,
      chaosSeconds: options.chaosSeconds,
      onProcessStart: options.trace ? (owner, id, pid) => say(`  [${owner}] started ${id} (pid ${pid})`) : undefined,
    });
    onInterrupt(() => workshop.stop());
    handle = createDashboardApp(workshop);
    say(`Dashboard: ${url}`);
    say("Press Ctrl-C to stop everything.");
    return "serving";
  },
});

async function listen(server: Server, port: number): Promise<void> {
  const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once("error", resolve);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  if (failure?.code === "EADDRINUSE") {
    throw new UsageError(`port ${port} is taken: pick another with --port (0 picks a free one)`);
  }
  if (failure) throw failure;
}
