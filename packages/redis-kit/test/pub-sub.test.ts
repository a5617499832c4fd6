// A subscription made as Redis goes away must still be made: node-redis subscribes again after a
// reconnection only to the channels Redis confirmed, so a SUBSCRIBE whose connection dropped
// before the answer left the server deaf on that channel for good (pnpm compare met it: a chat
// server started as Redis restarted, and its users' messages never came back to them). A stand-in
// for Redis, speaking its protocol, drops the first SUBSCRIBE's connection, every time.
import { once } from "node:events";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createRedisClient, isRedisReady, subscribe, type RedisClient } from "../src";

/** Each command of a RESP stream (arrays of bulk strings), as its words; what is left over stays in `rest`. */
function commands(input: { rest: Buffer }): string[][] {
  const found: string[][] = [];
  for (;;) {
    const text = input.rest.toString("latin1");
    const lines = text.split("\r\n");
    const count = Number(lines[0]?.slice(1));
    if (!lines[0]?.startsWith("*") || lines.length < 2 + 2 * count) return found;
    const words = Array.from({ length: count }, (_, i) => lines[2 + 2 * i]!);
    const used = lines.slice(0, 1 + 2 * count).join("\r\n").length + 2;
    found.push(words);
    input.rest = input.rest.subarray(used);
  }
}

const bulk = (word: string) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`;

describe("subscribe", () => {
  let server: Server;
  let subscribes = 0;
  const subscribed: Socket[] = [];
  let redis: RedisClient;

  beforeAll(async () => {
    server = createServer((socket) => {
      const input = { rest: Buffer.alloc(0) };
      socket.on("error", () => undefined);
      socket.on("data", (chunk) => {
        input.rest = Buffer.concat([input.rest, chunk]);
        for (const [name, ...args] of commands(input)) {
          const command = name!.toUpperCase();
          if (command === "PING") socket.write("+PONG\r\n");
          else if (command === "SUBSCRIBE") {
            // The first one's connection goes, as when Redis restarts between the question and the answer.
            if (++subscribes === 1) return void socket.destroy();
            for (const [i, channel] of args.entries())
              socket.write(`>3\r\n${bulk("subscribe")}${bulk(channel)}:${i + 1}\r\n`);
            subscribed.push(socket);
          } else socket.write("+OK\r\n");
        }
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    redis = createRedisClient(`redis://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await redis.connect();
  });

  afterAll(async () => {
    redis.destroy();
    server.close();
  });

  it("tries a channel again until Redis confirms it, and the client is not ready till then", async () => {
    const heard: string[] = [];
    subscribe(redis, { news: (message) => heard.push(message) });
    expect(await isRedisReady(redis)).toBe(false);
    for (const deadline = Date.now() + 5000; subscribed.length === 0 && Date.now() < deadline;) await sleep(20);
    expect(subscribes).toBeGreaterThanOrEqual(2);
    subscribed[0]!.write(`>3\r\n${bulk("message")}${bulk("news")}${bulk("hello")}`);
    for (const deadline = Date.now() + 2000; heard.length === 0 && Date.now() < deadline;) await sleep(20);
    expect(heard).toEqual(["hello"]);
    expect(await isRedisReady(redis)).toBe(true);
  });
});
