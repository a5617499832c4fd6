import {
  addItemInput,
  assertQuantity,
  checkout,
  orderIdInput,
  priceCart,
  requireProduct,
  setQuantityInput,
  type AccountRepository,
  type CartRepository,
} from "@cart/domain";
import { Router, type Response } from "express";
import type { Identity } from "./identity";
import { parseInput } from "./parse-input";
import { principalOf, requireUser } from "./require-user";

export function cartRoutes(identity: Identity, carts: CartRepository, accounts: AccountRepository): Router {
  const router = Router();
  router.use(["/cart", "/checkout", "/orders", "/wallet"], requireUser(identity));
  const cartId = (res: Response) => principalOf(res).sessionId;

  router.get("/cart", async (_req, res) => {
    res.json(priceCart(await carts.lines(cartId(res))));
  });

  router.post("/cart/items", async (req, res) => {
    const { sku, quantity } = parseInput(addItemInput, req.body);
    requireProduct(sku);
    assertQuantity(quantity, 1);
    res.json(priceCart(await carts.add(cartId(res), sku, quantity)));
  });

  router.patch("/cart/items/:sku", async (req, res) => {
    const { quantity } = parseInput(setQuantityInput, req.body);
    assertQuantity(quantity, 0);
    res.json(priceCart(await carts.setQuantity(cartId(res), String(req.params.sku), quantity)));
  });

  router.delete("/cart/items/:sku", async (req, res) => {
    res.json(priceCart(await carts.setQuantity(cartId(res), String(req.params.sku), 0)));
  });

  router.post("/checkout", async (_req, res) => {
    const { sessionId, userId } = principalOf(res);
    res.status(201).json({ order: await checkout(carts, accounts, { cartId: sessionId, userId }) });
  });

  router.get("/orders", async (_req, res) => {
    res.json({ orders: await accounts.orders(principalOf(res).userId) });
  });

  // One order as the kitchen has it now (placed, preparing, ready); another user's is no order of yours.
  router.get("/orders/:id", async (req, res) => {
    const { id } = parseInput(orderIdInput, req.params);
    res.json({ order: await accounts.order(principalOf(res).userId, id) });
  });

  router.get("/wallet", async (_req, res) => {
    res.json(await accounts.wallet(principalOf(res).userId));
  });

  return router;
}
