// The chat's lesson on the stateful side, as a test: each server knows only the sockets, messages
// and counts it holds itself, so Alice on stateful-1 cannot reach Bob on stateful-2.
import { listening, openChat, type ChatClient } from "@cart/contract-suite";
import type { Server } from "node:http";
import { statefulInstance } from "./instances";

const servers: Server[] = [];
const clients: ChatClient[] = [];

async function loggedInChat(instanceId: string, username: string, password: string, env: Record<string, string> = {}) {
  const { url, server } = await listening(statefulInstance(instanceId, env), instanceId);
  servers.push(server);
  const login = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
  const client = await openChat(url, { cookie });
  clients.push(client);
  return { url, cookie, client };
}

afterAll(async () => {
  for (const client of clients) client.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("the stateful chat, Alice on stateful-1 and Bob on stateful-2", () => {
  it("cannot deliver Alice's message, tells her why, and Bob's server never hears of it", async () => {
    const alice = await loggedInChat("stateful-1", "alice", "pepperoni");
    const bob = await loggedInChat("stateful-2", "bob", "margherita");
    alice.client.send({ type: "send", to: "bob", text: "Pizza tonight?" });
    expect(await alice.client.next((frame) => frame.type === "error")).toEqual({
      type: "error",
      code: "NOT_DELIVERED",
      message: "bob is not connected to stateful-1; bob will see it on connecting to stateful-1",
    });
    const history = await fetch(`${bob.url}/chat/history?with=alice`, { headers: { cookie: bob.cookie } });
    expect(await history.json()).toEqual({ messages: [] });
    const online = await fetch(`${bob.url}/chat/online`, { headers: { cookie: bob.cookie } });
    expect(await online.json()).toEqual({ online: ["bob"] });
    expect(bob.client.frames).toEqual([]);
  });
});

describe("a chat socket", () => {
  it("is closed (4001) when its session ends by itself, at login + SESSION_TTL_SECONDS", async () => {
    const loggedInAt = Date.now();
    const { client } = await loggedInChat("stateful-3", "alice", "pepperoni", { SESSION_TTL_SECONDS: "10" });
    expect(await client.closed).toEqual({ code: 4001, reason: "The session has expired" });
    expect(Date.now() - loggedInAt).toBeGreaterThanOrEqual(9_900);
  }, 20_000);
});
