// `pnpm workshop` answers from the first connection it accepts: while the clusters start, a
// request is answered at once (503, Retry-After) rather than held open; then the dashboard.
import { command, startCli, type CliRun } from "./run-cli";

jest.setTimeout(60_000);

let workshop: CliRun;
afterAll(() => {
  workshop?.child.kill("SIGINT");
});

async function printed(pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(workshop.output());
    if (match) return match;
    if (workshop.child.exitCode !== null) throw new Error(`pnpm workshop exited:\n${workshop.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("answers 503 with Retry-After within a second during start-up, then serves the dashboard", async () => {
  workshop = startCli(["--port", "0"], {}, command("workshop"));
  const url = (await printed(/Dashboard \(starting\): (http:\/\/\S+)/))[1]!;

  const page = await fetch(url, { signal: AbortSignal.timeout(1000) });
  expect({ status: page.status, retryAfter: page.headers.get("retry-after") }).toEqual({
    status: 503,
    retryAfter: "1",
  });
  expect(await page.text()).toContain('http-equiv="refresh"');
  const events = await fetch(`${url}api/events`, { signal: AbortSignal.timeout(1000) });
  expect(events.status).toBe(503);
  expect(await events.json()).toEqual({ error: { code: "STARTING", message: expect.any(String) } });
  expect(workshop.output()).not.toContain("Dashboard: ");

  await printed(/Dashboard: http/);
  const ready = await fetch(url, { signal: AbortSignal.timeout(1000) });
  expect(ready.status).toBe(200);
  expect(await ready.text()).toContain("<title>");

  workshop.child.kill("SIGINT");
  expect((await workshop.done).code).toBe(0);
});
