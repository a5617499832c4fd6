// Shapes of client input, checked at the edge before any rule runs. Objects are strict: an
// unexpected key (including "__proto__") is an error, not silently carried along.
// Quantities are only checked to be numbers here; their range is a cart rule (assertQuantity).
import { z } from "zod";

export const loginInput = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const addItemInput = z.strictObject({
  sku: z.string().min(1).max(64),
  quantity: z.number(),
});

export const setQuantityInput = z.strictObject({
  quantity: z.number(),
});

/** An order's id, as checkout made it (a UUID). */
export const orderIdInput = z.strictObject({
  id: z.uuid("An order id is a UUID"),
});

export type LoginInput = z.infer<typeof loginInput>;
export type AddItemInput = z.infer<typeof addItemInput>;
export type SetQuantityInput = z.infer<typeof setQuantityInput>;
