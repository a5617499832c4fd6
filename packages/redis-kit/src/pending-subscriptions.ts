// Which clients are still making their subscriptions (pub-sub.ts): a server whose channels are not
// listened to yet would take a chat socket and never hear what is published for it, so it is not
// ready (isRedisReady) until they are.
const pending = new WeakMap<object, number>();

export function subscriptionStarted(client: object): void {
  pending.set(client, (pending.get(client) ?? 0) + 1);
}

export function subscriptionMade(client: object): void {
  pending.set(client, Math.max(0, (pending.get(client) ?? 0) - 1));
}

export const subscriptionsPending = (client: object): boolean => (pending.get(client) ?? 0) > 0;
