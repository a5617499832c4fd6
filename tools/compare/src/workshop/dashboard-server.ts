// The dashboard's web server: the page (built by Vite into dist/web), a Server-Sent Events stream
// of the workshop's state and log, and one POST endpoint per button. Loopback only.
import express, { type ErrorRequestHandler } from "express";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { JOURNEY_NAMES, type JourneyName } from "../vocabulary";
import {
  CHAT_ACTIONS,
  FAULT_ACTIONS,
  KITCHEN_ACTIONS,
  SHOPPER_ACTIONS,
  type ChatAction,
  type FaultAction,
  type KitchenAction,
  type ShopperAction,
} from "./dashboard-state";
import { BusyError, type Workshop } from "./workshop";

/** Where `vite build` puts the page (tools/compare/dist/web). */
export const PAGE_DIR = join(__dirname, "..", "..", "dist", "web");
const MAX_PACE_MS = 5000;
const DEFAULT_PACE_MS = 400;
const HEARTBEAT_MS = 15_000;

export function createDashboardApp(workshop: Workshop): express.Express {
  if (!existsSync(join(PAGE_DIR, "index.html"))) {
    throw new Error(`the dashboard page is not built (${PAGE_DIR}): run pnpm build`);
  }
  const app = express();
  app.disable("x-powered-by");
  // Only the names of this machine: a web page whose domain is re-pointed at 127.0.0.1 (DNS
  // rebinding) would be same-origin with the dashboard, and could press its buttons.
  app.use((req, res, next) =>
    /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(req.get("host") ?? "")
      ? next()
      : fail(res, 421, "WRONG_HOST", "The dashboard answers only to 127.0.0.1 or localhost"),
  );
  app.use(express.static(PAGE_DIR));

  app.get("/api/events", (req, res) => {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const unsubscribe = workshop.subscribe(
      (state) => send("state", state),
      (entry) => send("log", entry),
    );
    // Some proxies close a stream that stays silent; a comment line keeps it open.
    const heartbeat = setInterval(() => res.write(": still here\n\n"), HEARTBEAT_MS);
    req.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  // Only JSON is accepted: a cross-site form cannot send it without the browser asking first
  // (CORS preflight), so another page the attendee has open cannot press the buttons.
  const onlyJson: express.RequestHandler = (req, res, next) =>
    /^application\/json\b/i.test(req.get("content-type") ?? "")
      ? next()
      : fail(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the action as application/json");
  app.post("/api/actions/:action", onlyJson, express.json({ limit: "1kb" }), (req, res) => {
    const action = String(req.params.action);
    const start = startAction(workshop, action, req.body ?? {});
    if (typeof start === "string") return void fail(res, 400, "BAD_ACTION", start);
    res.status(202).json({ accepted: action });
  });

  app.use((_req, res) => fail(res, 404, "NOT_FOUND", "No such page"));
  const onError: ErrorRequestHandler = (error: Error & { status?: number; type?: string }, _req, res, _next) => {
    if (error instanceof BusyError) return fail(res, 409, "BUSY", error.message);
    if (error.type === "entity.parse.failed") return fail(res, 400, "MALFORMED_JSON", "The body is not valid JSON");
    if (error.type === "entity.too.large") return fail(res, 413, "BODY_TOO_LARGE", "The body is too large");
    fail(res, 500, "INTERNAL", error.message);
  };
  app.use(onError);
  return app;
}

/** Starts the action (a BusyError is thrown before anything starts); or says why it cannot. */
function startAction(workshop: Workshop, action: string, body: { journey?: unknown; paceMs?: unknown }): string | void {
  if ((SHOPPER_ACTIONS as readonly string[]).includes(action)) return void workshop.shop(action as ShopperAction);
  if ((FAULT_ACTIONS as readonly string[]).includes(action)) return void FAULTS[action as FaultAction](workshop);
  if ((CHAT_ACTIONS as readonly string[]).includes(action)) return void workshop.chat(action as ChatAction);
  if ((KITCHEN_ACTIONS as readonly string[]).includes(action)) return void workshop.kitchen(action as KitchenAction);
  if (action !== "play") return `Unknown action "${action}"`;
  if (!JOURNEY_NAMES.includes(body.journey as JourneyName)) return `Unknown journey ${JSON.stringify(body.journey)}`;
  const pace = body.paceMs ?? DEFAULT_PACE_MS;
  if (!Number.isInteger(pace) || (pace as number) < 0 || (pace as number) > MAX_PACE_MS) {
    return `paceMs must be a whole number of milliseconds from 0 to ${MAX_PACE_MS}`;
  }
  void workshop.play(body.journey as JourneyName, pace as number);
}

const FAULTS: Record<FaultAction, (workshop: Workshop) => Promise<void>> = {
  kill: (workshop) => workshop.killLastServer(),
  revive: (workshop) => workshop.reviveAll(),
  "rolling-restart": (workshop) => workshop.rollingRestart(),
  "add-instance": (workshop) => workshop.addInstance(),
  stickiness: (workshop) => workshop.toggleStickiness(),
  redis: (workshop) => workshop.toggleStore(),
  distance: (workshop) => workshop.moveStoresAway(),
};

function fail(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}
