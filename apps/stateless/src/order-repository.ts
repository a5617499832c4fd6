// Orders in Redis: one list per user, oldest first. They outlive sessions, so they have no TTL.
import type { Order, OrderRepository } from "@cart/domain";
import { storeCall, type RedisClient } from "@cart/redis-kit";

export const orderKey = (userId: string) => `orders:${userId}`;

export class RedisOrderRepository implements OrderRepository {
  constructor(private readonly redis: RedisClient) {}

  async list(userId: string): Promise<Order[]> {
    const orders = await storeCall(() => this.redis.lRange(orderKey(userId), 0, -1));
    return orders.map((order) => JSON.parse(order) as Order);
  }
}
