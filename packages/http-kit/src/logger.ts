// Structured JSON logs (pino): one line per request with its id, the instance and the user, and
// never a password, a token, a cookie or a secret: requests are logged by method and path only,
// and the request id is taken from X-Request-Id only when it looks like one.
import type { RequestHandler } from "express";
import pino, { type Logger } from "pino";
import { pinoHttp } from "pino-http";
import { randomUUID } from "node:crypto";
import type { Principal } from "./identity";

const REQUEST_ID = /^[\w.-]{8,64}$/;

export function createLogger(instanceId: string, level: string): Logger {
  return pino({ level, base: { instance: instanceId } });
}

export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    // Balancers probe these several times a second: not news.
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
    genReqId: (req, res) => {
      const given = req.headers["x-request-id"];
      const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split("?")[0],
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customProps: (_req, res) => {
      const principal = (res as unknown as { locals?: { principal?: Principal } }).locals?.principal;
      return principal ? { userId: principal.userId } : {};
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
  });
}
