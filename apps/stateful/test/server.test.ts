// The built server as a real process: how it starts, refuses bad configuration, and stops.
import { openChat } from "@cart/contract-suite";
import { ManagedProcess, startNodeServer } from "@cart/local-infra";
import { request as httpRequest, Agent } from "node:http";
import { join } from "node:path";

const SCRIPT = join(__dirname, "..", "dist", "server.js");
const SECRET = "s".repeat(64);

describe("the stateful server process", () => {
  it("exits 0 within 5 s of SIGTERM, even with a keep-alive connection open", async () => {
    const server = await startNodeServer({
      name: "stateful-1",
      script: SCRIPT,
      env: { NODE_ENV: "production", SESSION_SECRET: SECRET, INSTANCE_ID: "stateful-1" },
    });
    const agent = new Agent({ keepAlive: true });
    await new Promise((resolve) =>
      httpRequest(`${server.url}/healthz`, { agent }, (res) => res.resume().on("end", resolve)).end(),
    );
    const started = Date.now();
    server.process.signal("SIGTERM");
    const { code } = await server.process.exited;
    agent.destroy();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("closes its chat sockets with 1001 on SIGTERM, so that their clients reconnect elsewhere, and exits 0", async () => {
    const server = await startNodeServer({
      name: "stateful-1",
      script: SCRIPT,
      env: { NODE_ENV: "production", SESSION_SECRET: SECRET, INSTANCE_ID: "stateful-1" },
    });
    const login = await fetch(`${server.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password: "pepperoni" }),
    });
    const chat = await openChat(server.url, { cookie: login.headers.getSetCookie()[0]!.split(";")[0]! });
    server.process.signal("SIGTERM");
    expect(await chat.closed).toEqual({ code: 1001, reason: "The server is restarting" });
    expect((await server.process.exited).code).toBe(0);
  });

  it("refuses to start without SESSION_SECRET outside tests: exit 2 and one clear line", async () => {
    const server = await ManagedProcess.start("stateful", process.execPath, [SCRIPT], {
      env: { ...process.env, NODE_ENV: "production", SESSION_SECRET: "", PORT: "0" },
    });
    expect((await server.exited).code).toBe(2);
    expect(server.recentOutput).toContain("SESSION_SECRET: SESSION_SECRET is required");
  });
});
