// Structured JSON logs (pino): one line per request with its id, the instance and the user, and
// never a password, a token, a cookie or a secret: requests are logged by method and path only,
// and the request id is taken from X-Request-Id only when it looks like one.
//
// The request line is written here rather than by pino-http, which builds two or three child
// loggers per request (its `req` bindings, then ours at the start and again at the end): in
// `pnpm bench --profile` that was a tenth of each app's CPU. One `logger.info` per request is
// the same line for a third of the cost.
import type { RequestHandler } from "express";
import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";
import type { Principal } from "./identity";

const REQUEST_ID = /^[\w.-]{8,64}$/;
// Balancers probe these several times a second: not news.
const NOT_LOGGED = new Set(["/healthz", "/readyz"]);

declare module "node:http" {
  interface IncomingMessage {
    /** The request's id (X-Request-Id), and the logger for lines about it (the error handler's). */
    id?: string;
    log?: Logger;
  }
}

export function createLogger(instanceId: string, level: string): Logger {
  return pino({ level, base: { instance: instanceId } });
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    req.id = id;
    req.log = logger;
    if (NOT_LOGGED.has(req.url)) return next();
    const started = Date.now();
    const path = req.url.split("?")[0];
    const done = () => {
      res.off("finish", done);
      res.off("close", done);
      const principal = res.locals.principal as Principal | undefined;
      const line = {
        req: { id, method: req.method, path },
        res: { status: res.statusCode },
        responseTime: Date.now() - started,
        ...(principal && { userId: principal.userId }),
      };
      if (res.statusCode >= 500) logger.error(line, "request errored");
      else if (res.statusCode === 101) logger.info(line, "connection closed");
      else logger.info(line, res.writableFinished ? "request completed" : "request aborted");
    };
    res.on("finish", done);
    res.on("close", done);
    next();
  };
}
