// The chat's lesson on the stateless side, as a test: the sockets stay on their servers, and
// everything else is in Redis (what is temporary) and PostgreSQL (the messages), so Alice on
// stateless-1 and Bob on stateless-2 talk as if they shared a server, a server that dies leaves
// no ghost behind, and a Redis that restarts empty loses no message.
import { listening, logIn, openChat, type ChatClient } from "@cart/contract-suite";
import { createRedisClient } from "@cart/redis-kit";
import type { Server } from "node:http";
import { statelessInstancesOnOwnRedis } from "./instances";

const bed = statelessInstancesOnOwnRedis();
const servers: Server[] = [];
const clients: ChatClient[] = [];

async function serve(instanceId: string, env: Record<string, string> = {}) {
  const { url, server } = await listening(await bed.start(instanceId, env), instanceId);
  servers.push(server);
  return url;
}

async function chatOn(url: string, headers: Record<string, string>) {
  const client = await openChat(url, headers);
  clients.push(client);
  return client;
}

// Each test starts with nobody connected: the servers forget a socket once its close is through.
afterEach(async () => {
  const open = clients.splice(0);
  for (const client of open) client.close();
  await Promise.all(open.map((client) => client.closed));
  await new Promise((resolve) => setTimeout(resolve, 50));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("the stateless chat, Alice on stateless-1 and Bob on stateless-2", () => {
  let one: string;
  let two: string;
  beforeAll(async () => {
    one = await serve("stateless-1");
    two = await serve("stateless-2");
  });

  it("delivers across servers: presence, the message, the unread count, and the log from either server", async () => {
    const alice = await chatOn(one, await logIn(one, "alice"));
    const bobHeaders = await logIn(two, "bob");
    const bob = await chatOn(two, bobHeaders);
    await alice.next((frame) => frame.type === "presence" && frame.user === "bob" && frame.online);

    alice.send({ type: "send", to: "bob", text: "Pizza tonight?" });
    expect(await bob.next((frame) => frame.type === "message")).toMatchObject({
      from: "alice",
      text: "Pizza tonight?",
      servedBy: "stateless-1",
    });
    await bob.next((frame) => frame.type === "unread" && frame.count === 1);
    expect(alice.frames.filter((frame) => frame.type === "error")).toEqual([]);

    const history = await fetch(`${one}/chat/history?with=alice`, { headers: bobHeaders });
    expect(((await history.json()) as { messages: { text: string }[] }).messages.map(({ text }) => text)).toEqual([
      "Pizza tonight?",
    ]);
  });

  it("keeps the messages and what is unread in PostgreSQL: a Redis emptied (sessions and all) loses none", async () => {
    const alice = await chatOn(one, await logIn(one, "alice"));
    const bob = await chatOn(two, await logIn(two, "bob"));
    await alice.next((frame) => frame.type === "presence" && frame.user === "bob" && frame.online);
    alice.send({ type: "send", to: "bob", text: "Still there after a restart?" });
    const sent = await bob.next((frame) => frame.type === "message" && frame.text === "Still there after a restart?");
    if (sent.type !== "message") throw new Error("not a message");

    const redis = createRedisClient(bed.url());
    await redis.connect();
    await redis.flushDb(); // what a Redis without persistence comes back with
    await redis.close();

    const bobAgain = await logIn(one, "bob"); // his session went with Redis; his messages did not
    const history = await fetch(`${one}/chat/history?with=alice`, { headers: bobAgain });
    const messages = ((await history.json()) as { messages: { id: number; text: string }[] }).messages;
    expect(messages.at(-1)).toMatchObject({ id: sent.id, text: "Still there after a restart?" });
    const unread = await fetch(`${two}/chat/unread`, { headers: bobAgain });
    expect(((await unread.json()) as { unread: Record<string, number> }).unread.alice).toBeGreaterThan(0);
  });

  it("reaches Bob's socket with a message sent the moment it opens: it is known everywhere before it opens", async () => {
    const alice = await chatOn(one, await logIn(one, "alice"));
    const bobHeaders = await logIn(two, "bob");
    for (let round = 1; round <= 5; round++) {
      const bob = await chatOn(two, bobHeaders);
      alice.send({ type: "send", to: "bob", text: `Round ${round}` });
      await bob.next((frame) => frame.type === "message" && frame.text === `Round ${round}`, 1000);
      bob.close();
      await bob.closed;
    }
    expect(alice.frames.filter((frame) => frame.type === "error")).toEqual([]);
  });

  it("tells Alice only when Bob is connected to no server at all", async () => {
    const bob = await chatOn(two, await logIn(two, "bob"));
    const alice = await chatOn(one, await logIn(one, "alice"));
    bob.close();
    await alice.next((frame) => frame.type === "presence" && frame.user === "bob" && !frame.online);
    alice.send({ type: "send", to: "bob", text: "Still there?" });
    expect(await alice.next((frame) => frame.type === "error")).toEqual({
      type: "error",
      code: "NOT_DELIVERED",
      message: "bob is not connected to any server; bob will see it on connecting to any server",
    });
  });

  it("closes a session's sockets on every server when it logs out", async () => {
    const aliceOnTwo = await logIn(two, "alice");
    const socket = await chatOn(one, aliceOnTwo); // the token's cookie works on any server
    const logout = await fetch(`${two}/auth/logout`, { method: "POST", headers: aliceOnTwo });
    expect(logout.status).toBe(204);
    expect(await socket.closed).toEqual({ code: 4001, reason: "The session has ended" });
  });

  it("shows Alice typing to Bob on his server, from a key in Redis that runs out by itself", async () => {
    const alice = await chatOn(one, await logIn(one, "alice"));
    const bobHeaders = await logIn(two, "bob");
    const bob = await chatOn(two, bobHeaders);
    alice.send({ type: "typing", to: "bob" });
    await bob.next((frame) => frame.type === "typing" && frame.from === "alice");
    const typing = await fetch(`${two}/chat/typing`, { headers: bobHeaders });
    expect(await typing.json()).toEqual({ typing: ["alice"] });
    const redis = createRedisClient(bed.url());
    await redis.connect();
    const ttl = await redis.pTTL("chat:typing:bob");
    await redis.close();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3000);
  });

  it("takes a message resent to another server (after a lost connection) with the same ref once", async () => {
    const aliceHeaders = await logIn(one, "alice");
    const bob = await chatOn(two, await logIn(two, "bob"));
    const first = await chatOn(one, aliceHeaders);
    const ref = `lost-${Date.now()}`;
    first.send({ type: "send", to: "bob", text: "Did this arrive?", ref });
    await bob.next((frame) => frame.type === "message" && frame.text === "Did this arrive?");
    // Alice never saw it come back (her connection dropped), so her client sends it again, elsewhere.
    const again = await chatOn(two, aliceHeaders);
    again.send({ type: "send", to: "bob", text: "Did this arrive?", ref });
    const echo = await again.next((frame) => frame.type === "message" && frame.text === "Did this arrive?");
    expect(echo).toMatchObject({ ref, servedBy: "stateless-1" });
    again.send({ type: "send", to: "bob", text: "Good." });
    await bob.next((frame) => frame.type === "message" && frame.text === "Good.");
    expect(bob.frames.filter((frame) => frame.type === "message" && frame.text === "Did this arrive?")).toHaveLength(1);
  });

  it("leaves no ghost: a user held only by a server that stopped renewing its claim goes offline", async () => {
    const alice = await chatOn(one, await logIn(one, "alice"));
    // A server that died holding Bob: its claim is in Redis, and nobody renews it.
    const redis = createRedisClient(bed.url());
    await redis.connect();
    await redis.zAdd("chat:servers:bob", { score: Date.now() + 500, value: "stateless-dead" });
    await redis.sAdd("chat:users", "bob");
    await redis.close();
    await alice.next((frame) => frame.type === "presence" && frame.user === "bob" && !frame.online, 4000);
  });
});

describe("a chat socket", () => {
  it("is closed (4001) when its token expires, at login + SESSION_TTL_SECONDS", async () => {
    const url = await serve("stateless-3", { SESSION_TTL_SECONDS: "10" });
    const loggedInAt = Date.now();
    const socket = await chatOn(url, await logIn(url, "alice"));
    expect(await socket.closed).toEqual({ code: 4001, reason: "The session has expired" });
    // The token's expiry is in whole seconds: it may end up to a second before login + 10 s.
    expect(Date.now() - loggedInAt).toBeGreaterThanOrEqual(8_900);
  }, 20_000);
});
