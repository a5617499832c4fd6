// Carts in Redis: one hash per session (sku → quantity), shared by every instance. Each write is
// one Lua script, which Redis runs atomically, so parallel requests on any instances lose nothing.
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
import { storeCall, type RedisClient } from "@cart/redis-kit";
import { orderKey } from "./order-repository";

// KEYS[1] cart; ARGV sku, quantity, max quantity, max lines, ttl → {status, ...hash}
const ADD = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local wanted = current + tonumber(ARGV[2])
if wanted > tonumber(ARGV[3]) then return {'QUANTITY_LIMIT'} end
if current == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {'CART_FULL'} end
redis.call('HSET', KEYS[1], ARGV[1], wanted)
redis.call('EXPIRE', KEYS[1], ARGV[5])
return {'OK', unpack(redis.call('HGETALL', KEYS[1]))}`;

// KEYS[1] cart; ARGV sku, quantity (0 removes), ttl → {status, ...hash}
const SET = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {'NOT_IN_CART'} end
if ARGV[2] == '0' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'OK', unpack(redis.call('HGETALL', KEYS[1]))}`;

// Compare-and-move: only if the cart still holds exactly the lines the order was priced from.
// KEYS[1] cart, KEYS[2] orders; ARGV order JSON, then sku, quantity pairs → 'OK' | 'CHANGED'
const CHECKOUT = `
if redis.call('HLEN', KEYS[1]) ~= (#ARGV - 1) / 2 then return 'CHANGED' end
for i = 2, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) ~= ARGV[i + 1] then return 'CHANGED' end
end
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[2], ARGV[1])
return 'OK'`;

const CHECKOUT_ATTEMPTS = 10;

const cartKey = (cartId: string) => `cart:${cartId}`;

export class RedisCartRepository implements CartRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
  ) {}

  async lines(cartId: string): Promise<CartLine[]> {
    return toLines(Object.entries(await storeCall(() => this.redis.hGetAll(cartKey(cartId)))).flat());
  }

  async add(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.write(ADD, cartId, sku, [quantity, MAX_QUANTITY, MAX_LINES, this.ttlSeconds]);
  }

  async setQuantity(cartId: string, sku: string, quantity: number): Promise<CartLine[]> {
    return this.write(SET, cartId, sku, [quantity, this.ttlSeconds]);
  }

  async checkout(cartId: string, userId: string, makeOrder: (lines: CartLine[]) => Order): Promise<Order> {
    // Retried only if the cart changed between reading and moving it (a parallel add).
    for (let attempt = 1; attempt <= CHECKOUT_ATTEMPTS; attempt++) {
      const lines = await this.lines(cartId);
      const order = makeOrder(lines);
      const expected = lines.flatMap((line) => [line.sku, String(line.quantity)]);
      const keys = [cartKey(cartId), orderKey(userId)];
      const outcome = await storeCall(() =>
        this.redis.eval(CHECKOUT, { keys, arguments: [JSON.stringify(order), ...expected] }),
      );
      if (outcome === "OK") return order;
    }
    throw new Error(`Cart ${cartId} kept changing during checkout`);
  }

  async discard(cartId: string): Promise<void> {
    await storeCall(() => this.redis.del(cartKey(cartId)));
  }

  private async write(script: string, cartId: string, sku: string, args: number[]): Promise<CartLine[]> {
    const reply = (await storeCall(() =>
      this.redis.eval(script, { keys: [cartKey(cartId)], arguments: [sku, ...args.map(String)] }),
    )) as string[];
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
