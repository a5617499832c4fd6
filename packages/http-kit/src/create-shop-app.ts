// The HTTP contract both apps serve, assembled over whichever adapters an app passes in.
// Middleware order is part of the contract: instance header first, errors last.
import type { CartRepository, OrderRepository } from "@cart/domain";
import express from "express";
import { authRoutes } from "./auth-routes";
import { cartRoutes } from "./cart-routes";
import { errorHandler, notFound } from "./error-handler";
import { healthRoutes } from "./health-routes";
import type { Identity } from "./identity";
import { jsonBody } from "./json-body";

export interface ShopAppParts {
  readonly instanceId: string;
  readonly identity: Identity;
  readonly carts: CartRepository;
  readonly orders: OrderRepository;
  /** Whether the state store answers (for /readyz). */
  readonly isReady: () => Promise<boolean>;
}

export function createShopApp({ instanceId, identity, carts, orders, isReady }: ShopAppParts): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use((_req, res, next) => {
    res.setHeader("X-Served-By", instanceId);
    next();
  });
  app.use(healthRoutes(instanceId, isReady));
  app.use(jsonBody);
  if (identity.middleware.length > 0) app.use(identity.middleware);
  app.use(authRoutes(identity, carts));
  app.use(cartRoutes(identity, carts, orders));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
