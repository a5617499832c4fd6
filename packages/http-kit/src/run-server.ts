// Listening and graceful shutdown, the same for both apps: on SIGTERM (a rolling deploy) or
// SIGINT, stop accepting, let in-flight requests finish, release resources, exit 0 within 5 s.
import type { Kitchen } from "@cart/domain";
import type { Express } from "express";
import type { AddressInfo } from "node:net";
import { createAppServer } from "./app-server";
import { CLOSE } from "./chat-connections";
import type { ShopChat } from "./chat-routes";
import { ConfigError } from "./env";

const SHUTDOWN_DEADLINE_MS = 4000;

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  readonly instanceId: string;
  /** Releases what the app holds (e.g. its Redis connection) after the last request. */
  readonly onShutdown?: () => Promise<void>;
}

export function runServer(app: Express, { host, port, instanceId, onShutdown }: ServerOptions): void {
  // The app's JSON logger when it has one (createShopApp gives it one).
  const log: { info(message: string): void; error(message: string): void } = app.locals.logger ?? console;
  const server = createAppServer(app, instanceId);
  server.listen(port, host, () => {
    const { port: actual } = server.address() as AddressInfo;
    log.info(`${instanceId} listening on http://${host}:${actual}`);
  });
  server.on("error", (error) => {
    log.error(`${instanceId} cannot listen on ${host}:${port}: ${error.message}`);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${instanceId} got ${signal}: finishing in-flight requests`);
    // Chat sockets are long-lived: told to reconnect (to another server) rather than waited for;
    // the frames they sent before are handled before the store is let go.
    const connections = (app.locals.chat as ShopChat | undefined)?.connections;
    connections?.closeAll(CLOSE.goingAway, "The server is restarting");
    // The kitchen takes no more orders; those it is cooking finish, or a second before the
    // deadline are given up (on the stateless app, handed back to the queue for another server
    // while the process can still say so).
    const kitchenStopped = (app.locals.kitchen as Kitchen | undefined)?.stop(SHUTDOWN_DEADLINE_MS - 1000);
    // Requests still running at the deadline are cut off rather than holding up the deploy.
    const deadline = new Promise<void>((resolve) =>
      setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, SHUTDOWN_DEADLINE_MS).unref(),
    );
    server.close(() => {
      void Promise.race([Promise.all([connections?.empty(), kitchenStopped]), deadline])
        .then(() => onShutdown?.())
        .catch((error: unknown) => log.error(`${instanceId} shutdown: ${(error as Error).message}`))
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/** Runs `start`, turning a configuration problem into its message and exit code 2. */
export async function startOrExit(start: () => Promise<void> | void): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
