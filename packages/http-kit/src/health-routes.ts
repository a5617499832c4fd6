// Liveness (the process answers) and readiness (its state store answers): a balancer or an
// orchestrator needs both, and they differ exactly when the store is down.
import { CATALOG } from "@cart/domain";
import { Router } from "express";
import { HttpError } from "./http-error";

export function healthRoutes(
  instanceId: string,
  isReady: () => Promise<boolean>,
  sessionsInMemory: () => Promise<number>,
): Router {
  const router = Router();
  // Also the count of sessions in this process's memory: it grows with users on the stateful
  // app, and stays 0 on the stateless one.
  router.get("/healthz", async (_req, res) => {
    res.json({ status: "ok", instance: instanceId, sessionsInMemory: await sessionsInMemory() });
  });
  router.get("/readyz", async (_req, res) => {
    if (!(await isReady())) throw new HttpError(503, "STORE_UNAVAILABLE", "The state store does not answer");
    res.json({ status: "ready", instance: instanceId });
  });
  router.get("/catalog", (_req, res) => {
    res.json({ products: CATALOG });
  });
  return router;
}
