// The chat's contract, over a real WebSocket to a real listening instance: who may open one,
// what the frames do, what a hostile client gets back. Everything here happens on one instance;
// what happens across servers is the comparison's story (pnpm compare).
import type { ServerFrame } from "@cart/domain";
import type { Server } from "node:http";
import { listening, logIn, openChat, type ChatClient } from "./chat-client";
import type { AppHarness } from "./harness";

const refusal = (opening: Promise<ChatClient>) =>
  opening.then(
    () => ({ status: 101, code: undefined }),
    (error: { status?: number; body?: string }) => ({
      status: error.status,
      code: (JSON.parse(error.body ?? "{}") as { error?: { code?: string } }).error?.code,
    }),
  );

const isError = (code: string) => (frame: ServerFrame) => frame.type === "error" && frame.code === code;

export function describeChatContract(harness: AppHarness): void {
  describe(`the chat contract, served by the ${harness.name} app`, () => {
    const instanceId = `${harness.name}-chat`;
    // Made as the file loads, as the harness wants (its store connections open before the tests).
    const app = harness.instance(instanceId);
    let server: Server;
    let url: string;
    const open: ChatClient[] = [];
    const chat = async (username: string, headers?: Record<string, string>) => {
      const client = await openChat(url, headers ?? (await logIn(url, username)));
      open.push(client);
      return client;
    };
    const get = async (path: string, headers: Record<string, string>) => {
      const response = await fetch(`${url}${path}`, { headers });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    beforeAll(async () => {
      ({ server, url } = await listening(app, instanceId));
    });
    afterEach(async () => {
      for (const client of open.splice(0)) client.close();
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    describe("GET /chat", () => {
      it("refuses a caller it does not recognise with 401 JSON, before any upgrade", async () => {
        expect(await refusal(openChat(url, {}))).toEqual({ status: 401, code: "NOT_LOGGED_IN" });
      });

      it("refuses a page from another site with 403 JSON (cross-site WebSocket hijacking)", async () => {
        const alice = await logIn(url, "alice");
        const opening = openChat(url, { ...alice, origin: "https://evil.example" });
        expect(await refusal(opening)).toEqual({ status: 403, code: "CROSS_SITE_REQUEST" });
      });

      it("answers a plain GET with 426 JSON: it is only for WebSockets", async () => {
        const { status, body } = await get("/chat", await logIn(url, "alice"));
        expect({ status, code: (body.error as { code: string }).code }).toEqual({
          status: 426,
          code: "UPGRADE_REQUIRED",
        });
      });
    });

    describe("between two users on this instance", () => {
      it("delivers Alice's message to Bob, from her identity, with an id, the time and the server", async () => {
        const alice = await chat("alice");
        const bob = await chat("bob");
        await alice.next((frame) => frame.type === "presence" && frame.user === "bob" && frame.online);
        alice.send({ type: "send", to: "bob", text: "  Pizza <b>tonight</b>?  " });
        const got = await bob.next((frame) => frame.type === "message");
        expect(got).toMatchObject({ from: "alice", to: "bob", text: "Pizza <b>tonight</b>?", servedBy: instanceId });
        expect(typeof (got as { id: number }).id).toBe("number");
        expect(Date.parse((got as { at: string }).at)).not.toBeNaN();
        // Alice's own connection shows it too, with the same id.
        expect(await alice.next((frame) => frame.type === "message")).toEqual(got);
        await bob.next((frame) => frame.type === "unread" && frame.from === "alice" && frame.count >= 1);
      });

      it("counts what Bob has not read, over HTTP too, until he reads it", async () => {
        const bobHeaders = await logIn(url, "bob");
        const before = (await get("/chat/unread", bobHeaders)).body.unread as Record<string, number>;
        const alice = await chat("alice");
        const bob = await chat("bob", bobHeaders);
        alice.send({ type: "send", to: "bob", text: "One" });
        alice.send({ type: "send", to: "bob", text: "Two" });
        const second = await bob.next((frame) => frame.type === "message" && frame.text === "Two");
        expect((await get("/chat/unread", bobHeaders)).body.unread).toEqual({ alice: (before.alice ?? 0) + 2 });
        bob.send({ type: "read", with: "alice", upTo: (second as { id: number }).id });
        await bob.next((frame) => frame.type === "unread" && frame.from === "alice" && frame.count === 0);
        expect((await get("/chat/unread", bobHeaders)).body.unread).toEqual({});
      });

      it("keeps the conversation in order, paged after an id", async () => {
        const alice = await chat("alice");
        const bob = await chat("bob");
        alice.send({ type: "send", to: "bob", text: "ping" });
        await alice.next((frame) => frame.type === "message" && frame.text === "ping");
        bob.send({ type: "send", to: "alice", text: "pong" });
        await alice.next((frame) => frame.type === "message" && frame.text === "pong");
        const headers = await logIn(url, "alice");
        const { messages } = (await get("/chat/history?with=bob", headers)).body as { messages: { id: number }[] };
        const ids = messages.map(({ id }) => id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        const last = ids.at(-1)!;
        const after = (await get(`/chat/history?with=bob&after=${last - 1}`, headers)).body.messages;
        expect(after).toEqual([expect.objectContaining({ id: last, from: "bob", text: "pong" })]);
        expect((await get("/chat/history?with=mallory", headers)).status).toBe(400);
        expect((await get("/chat/history?with=bob&after=-1", headers)).status).toBe(400);
      });

      it("says who is online, and that Alice went offline when her last connection closed", async () => {
        const bob = await chat("bob");
        const alice = await chat("alice");
        await bob.next((frame) => frame.type === "presence" && frame.user === "alice" && frame.online);
        expect((await get("/chat/online", await logIn(url, "bob"))).body.online).toEqual(["alice", "bob"]);
        alice.close();
        await bob.next((frame) => frame.type === "presence" && frame.user === "alice" && !frame.online);
      });

      it("relays Alice's typing to Bob, says so over HTTP, and ends it with her message", async () => {
        const alice = await chat("alice");
        const bobHeaders = await logIn(url, "bob");
        const bob = await chat("bob", bobHeaders);
        alice.send({ type: "typing", to: "bob" });
        expect(await bob.next((frame) => frame.type === "typing")).toEqual({ type: "typing", from: "alice" });
        expect((await get("/chat/typing", bobHeaders)).body).toEqual({ typing: ["alice"] });
        alice.send({ type: "send", to: "bob", text: "Done typing" });
        await bob.next((frame) => frame.type === "message" && frame.text === "Done typing");
        expect((await get("/chat/typing", bobHeaders)).body).toEqual({ typing: [] });
      });

      it("takes a message resent with the same ref once, and gives the resend the first one back", async () => {
        const alice = await chat("alice");
        const bob = await chat("bob");
        const ref = `resend-${Date.now()}`;
        alice.send({ type: "send", to: "bob", text: "Sent twice", ref });
        const first = await alice.next((frame) => frame.type === "message" && frame.text === "Sent twice");
        alice.send({ type: "send", to: "bob", text: "Sent twice", ref });
        alice.send({ type: "send", to: "bob", text: "Then this" });
        await bob.next((frame) => frame.type === "message" && frame.text === "Then this");
        const echoes = alice.frames.filter((frame) => frame.type === "message" && frame.text === "Sent twice");
        expect(echoes).toEqual([first, first]);
        expect(first).toMatchObject({ ref });
        expect(bob.frames.filter((frame) => frame.type === "message" && frame.text === "Sent twice")).toEqual([first]);
        const headers = await logIn(url, "bob");
        const after = (first as { id: number }).id - 1;
        const { messages } = (await get(`/chat/history?with=alice&after=${after}`, headers)).body;
        const texts = (messages as { text: string }[]).map(({ text }) => text);
        expect(texts.filter((text) => text === "Sent twice")).toHaveLength(1);
        expect(texts).toContain("Then this");
      });
    });

    describe("a hostile client", () => {
      it("gets an error frame for each bad frame, and the connection goes on", async () => {
        const alice = await chat("alice");
        alice.send("{not json");
        await alice.next(isError("NOT_JSON"));
        alice.send(Buffer.from([0, 1, 2]));
        await alice.next(isError("BINARY_FRAME"));
        alice.send({ type: "send", to: "bob", text: "x".repeat(5000) });
        await alice.next(isError("FRAME_TOO_LARGE"));
        alice.send({ type: "send", from: "bob", to: "bob", text: "I am Bob" });
        await alice.next(isError("INVALID_FRAME"));
        alice.send({ type: "send", to: "mallory", text: "hi" });
        await alice.next(isError("UNKNOWN_USER"));
        alice.send({ type: "send", to: "bob", text: " \u200B " });
        await alice.next(isError("INVALID_TEXT"));
        alice.send({ type: "send", to: "bob", text: "still here" });
        await alice.next((frame) => frame.type === "message" && frame.text === "still here");
      });

      it("is limited: a flood of frames is answered with RATE_LIMITED, not served", async () => {
        const alice = await chat("alice");
        for (let i = 0; i < 40; i++) alice.send({ type: "typing", to: "bob" });
        await alice.next(isError("RATE_LIMITED"));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(alice.frames.filter(isError("RATE_LIMITED")).length).toBeGreaterThanOrEqual(15);
      });
    });

    it("closes a session's sockets when it logs out (4001), and refuses its cookie after", async () => {
      const alice = await logIn(url, "alice");
      const socket = await chat("alice", alice);
      const logout = await fetch(`${url}/auth/logout`, { method: "POST", headers: alice });
      expect(logout.status).toBe(204);
      expect(await socket.closed).toEqual({ code: 4001, reason: "The session has ended" });
      expect((await refusal(openChat(url, alice))).status).toBe(401);
    });
  });
}
