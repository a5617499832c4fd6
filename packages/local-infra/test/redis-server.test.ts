// A private redis-server: it counts the keys that match a pattern (the workshop draws the
// stateless app's sessions in Redis from it), and refuses a pattern it could not send as it is.
import { askRedisText, LocalRedisServer } from "../src/redis-server";

describe("LocalRedisServer.keyCountMatching", () => {
  let server: LocalRedisServer;
  beforeAll(async () => {
    server = await LocalRedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("counts only the keys that match, as the server holds them", async () => {
    for (const key of ["sess:alice", "sess:bob", "cart:alice"])
      expect(await askRedisText(server.port, `SET ${key} 1`, /^\+(OK)/)).toBe("OK");
    expect(await server.keyCountMatching("sess:*")).toBe(2);
    expect(await server.keyCountMatching("chat:*")).toBe(0);
    expect(await server.keyCount()).toBe(3);
  });

  it("refuses a pattern with a space or a quote, which would change the command", () => {
    expect(() => server.keyCountMatching("sess:* 0")).toThrow(/not a plain key pattern/);
    expect(() => server.keyCountMatching('sess:"')).toThrow(/not a plain key pattern/);
  });
});
