// Carts in Redis: one hash per session (sku → quantity), shared by every instance, and beside it,
// while a checkout is under way, the id of the order the cart is becoming. Each write is one Lua
// script, which Redis runs atomically, so parallel requests on any instances lose nothing.
import { randomUUID } from "node:crypto";
import {
  CartFullError,
  MAX_LINES,
  MAX_QUANTITY,
  NotInCartError,
  QuantityLimitError,
  type CartLine,
  type CartRepository,
  type Order,
} from "@cart/domain";
import { runScript, storeCall, type RedisClient } from "@cart/redis-kit";

// Every script: KEYS[1] the cart, KEYS[2] the id of the order it is becoming. A cart that is
// emptied is gone, and so is that id: a cart filled again is a new one, with an order of its own.

// ARGV sku, quantity, max quantity, max lines, ttl → {status, ...hash}
const ADD = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local wanted = current + tonumber(ARGV[2])
if wanted > tonumber(ARGV[3]) then return {'QUANTITY_LIMIT'} end
if current == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {'CART_FULL'} end
redis.call('HSET', KEYS[1], ARGV[1], wanted)
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {'OK', unpack(redis.call('HGETALL', KEYS[1]))}`;

// ARGV sku, quantity (0 removes), ttl → {status, ...hash}
const SET = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {'NOT_IN_CART'} end
if ARGV[2] == '0' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return {'OK', unpack(redis.call('HGETALL', KEYS[1]))}`;

// ARGV a fresh order id (kept only if the cart has none yet), ttl → {order id, ...hash}; {} if empty
const FOR_CHECKOUT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('SET', KEYS[2], ARGV[1], 'NX', 'EX', ARGV[2])
return {redis.call('GET', KEYS[2]), unpack(redis.call('HGETALL', KEYS[1]))}`;

// Only if the cart is still becoming this order: takes its lines out (what was added since stays).
// ARGV order id, then sku, quantity pairs → 1 settled | 0 not this cart's order (already settled)
const SETTLE = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 2 do
  local left = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') - tonumber(ARGV[i + 1])
  if left > 0 then redis.call('HSET', KEYS[1], ARGV[i], left) else redis.call('HDEL', KEYS[1], ARGV[i]) end
end
redis.call('DEL', KEYS[2])
return 1`;

const keysOf = (cartId: string) => [`cart:${cartId}`, `cart:${cartId}:order`];

export class RedisCartRepository implements CartRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    /** Resolves once a settled cart is safe from a failover of Redis (see replicated.ts). */
    private readonly written: () => Promise<void> = async () => undefined,
  ) {}

  async lines(cartId: string): Promise<CartLine[]> {
    const [cart] = keysOf(cartId);
    return toLines(Object.entries(await storeCall(() => this.redis.hGetAll(cart!))).flat());
  }

  async add(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.write(ADD, cartId, sku, [quantity, MAX_QUANTITY, MAX_LINES, this.ttlSeconds]);
  }

  async setQuantity(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.write(SET, cartId, sku, [quantity, this.ttlSeconds]);
  }

  async forCheckout(cartId: string): Promise<{ orderId: string; lines: CartLine[] }> {
    const fresh = randomUUID();
    const reply = (await runScript(this.redis, FOR_CHECKOUT, keysOf(cartId), [fresh, this.ttlSeconds])) as string[];
    const [orderId = fresh, ...hash] = reply;
    return { orderId, lines: toLines(hash) };
  }

  async settle(cartId: string, order: Order): Promise<void> {
    const ordered = order.items.flatMap((item) => [item.sku, item.quantity]);
    await runScript(this.redis, SETTLE, keysOf(cartId), [order.id, ...ordered]);
    // Lost in a failover, the settling would give the cart back its ordered lines.
    await this.written();
  }

  async discard(cartId: string): Promise<void> {
    await storeCall(() => this.redis.del(keysOf(cartId)));
  }

  private async write(script: string, cartId: string, sku: string, args: number[]): Promise<CartLine[]> {
    const reply = (await runScript(this.redis, script, keysOf(cartId), [sku, ...args])) as string[];
    const [status, ...hash] = reply;
    if (status === "QUANTITY_LIMIT") throw new QuantityLimitError(sku, MAX_QUANTITY);
    if (status === "CART_FULL") throw new CartFullError(MAX_LINES);
    if (status === "NOT_IN_CART") throw new NotInCartError(sku);
    return toLines(hash);
  }
}

/** [sku, quantity, sku, quantity, …] → cart lines. */
function toLines(flat: string[]): CartLine[] {
  const lines: CartLine[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) lines.push({ sku: flat[i]!, quantity: Number(flat[i + 1]) });
  return lines;
}
