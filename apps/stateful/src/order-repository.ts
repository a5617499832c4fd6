// Orders in this process's memory: they die with the process.
import type { Order, OrderRepository } from "@cart/domain";

export class InMemoryOrderRepository implements OrderRepository {
  private readonly ordersByUser = new Map<string, Order[]>();

  async list(userId: string): Promise<Order[]> {
    return [...(this.ordersByUser.get(userId) ?? [])];
  }

  append(userId: string, order: Order): void {
    this.ordersByUser.set(userId, [...(this.ordersByUser.get(userId) ?? []), order]);
  }
}
