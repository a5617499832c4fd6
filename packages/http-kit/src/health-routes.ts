// Liveness (the process answers) and readiness (its state store answers): a balancer or an
// orchestrator needs both, and they differ exactly when the store is down.
import { CATALOG, type Kitchen } from "@cart/domain";
import { Router } from "express";
import { HttpError } from "./http-error";

export function healthRoutes(
  instanceId: string,
  isReady: () => Promise<boolean>,
  sessionsInMemory: () => Promise<number>,
  kitchen: Kitchen,
): Router {
  const router = Router();
  // Also what this process holds in its own memory: sessions, which grow with users on the
  // stateful app and stay 0 on the stateless one, and the kitchen's orders (waiting in a queue
  // here on the stateful app only; being cooked here on both).
  router.get("/healthz", async (_req, res) => {
    res.json({
      status: "ok",
      instance: instanceId,
      sessionsInMemory: await sessionsInMemory(),
      kitchen: { queue: kitchen.queue, ...kitchen.held() },
    });
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
