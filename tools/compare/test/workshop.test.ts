// `pnpm workshop` end to end: the real CLI (both clusters, a private Redis), its dashboard in
// headless Chromium, driven by its buttons and shortcuts. Saves a screenshot in reports/.
import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { describeNeeding } from "./prerequisites";
import { alive } from "./run-cli";
import {
  chatStory,
  crashStory,
  kitchenStory,
  launchChromium,
  PROJECTOR,
  requestsLanded,
  side,
  startKilledServers,
} from "./support/browser";
import { startWorkshopProcess, type WorkshopProcess } from "./support/workshop-process";

const REPORT_DIR = join(__dirname, "..", "..", "..", "reports");

describeNeeding("chromium", "pnpm workshop in headless Chromium", () => {
  let workshop: WorkshopProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    workshop = await startWorkshopProcess();
    page = await browser.newPage({ viewport: PROJECTOR });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await workshop?.stop();
  });

  describe("the workshop dashboard, in a real browser", () => {
    it("shows Alice's cart lost on the stateful side and kept on the stateless side after kill -9", async () => {
      await crashStory(page, workshop.url);

      const stateful = side(page, "stateful");
      await expectText(stateful.locator(".shopper h3"), "Alice — not logged in");
      await expectText(
        stateful.locator(".shopper .answer"),
        "GET /cart → 401 UNKNOWN_SESSION — this server never saw Alice's session",
      );
      const stateless = side(page, "stateless");
      await expectText(stateless.locator(".shopper h3"), "Alice — logged in");
      await expectText(stateless.locator(".shopper .cart"), "1×Large pepperoni pizza$14.99");
      for (const app of [stateful, stateless]) {
        expect(await app.locator(".instance.down").count()).toBe(1);
        expect(await app.locator(".log").textContent()).toContain("kill -9");
      }
      // Only the stateful servers keep sessions; the stateless side keeps them in Redis.
      expect(await stateless.locator(".store").textContent()).toMatch(/Redis: \d+ keys/);
      expect(await stateless.locator(".instance.up .stat").allTextContents()).toContain("sessions in memory: 0");

      // The diagram draws the same: the killed stateful server greyed out with no session left in
      // it, every other server's dots as many as it reports; Alice's session a dot in Redis.
      const diagram = (app: typeof stateful) => app.locator("svg.architecture");
      const killed = diagram(stateful).locator(".arch-server.down");
      expect(await killed.count()).toBe(1);
      expect(await killed.locator("circle.session").count()).toBe(0);
      for (const server of await diagram(stateful).locator(".arch-server.up").all()) {
        const id = await server.getAttribute("data-instance");
        const reported = await stateful.locator(`.instance[data-instance="${id}"] .stat strong`).first().textContent();
        expect(await server.locator("circle.session").count()).toBe(Math.min(Number(reported), 5));
      }
      const redis = diagram(stateless).locator('[data-store="redis"]');
      const sessionsInRedis = Number(
        /(\d+) of them sessions/.exec((await stateless.locator(".store").textContent())!)?.[1],
      );
      expect(sessionsInRedis).toBeGreaterThanOrEqual(1);
      expect(await redis.locator("circle.session").count()).toBe(Math.min(sessionsInRedis, 12));
      expect(await diagram(stateless).locator(".arch-server.up circle.session").count()).toBe(0);
      expect(await diagram(stateful).getAttribute("aria-label")).toMatch(/stateful-\d down/);

      await mkdir(REPORT_DIR, { recursive: true });
      await requestsLanded(page);
      await page.screenshot({ path: join(REPORT_DIR, "workshop.png"), fullPage: true });

      // A request is drawn as it happens, travelling its path in its answer's colour.
      await page.getByRole("button", { name: "View cart" }).click();
      await diagram(stateless).locator("circle.request.ok").first().waitFor({ state: "attached", timeout: 5000 });
      await diagram(stateful).locator("circle.request.error").first().waitFor({ state: "attached", timeout: 5000 });
      await page.locator("#status", { hasText: "Ready." }).waitFor({ timeout: 15_000 });
    }, 60_000);

    it("replays a pnpm compare journey on both sides, with the verdict each side got", async () => {
      await page.selectOption("#journey", "server-crash");
      await page.selectOption("#pace", "0");
      await page.keyboard.press("p");
      await side(page, "stateful").locator(".verdict").waitFor({ timeout: 30_000 });
      await side(page, "stateless").locator(".verdict").waitFor({ timeout: 30_000 });
      await expectText(side(page, "stateful").locator(".verdict"), "server-crash: FAIL (expected fail, as predicted)");
      await expectText(side(page, "stateless").locator(".verdict"), "server-crash: PASS (expected pass, as predicted)");
    }, 60_000);

    it("shows the chat: Bob gets Alice's message and typing across servers, and keeps them after his server's kill -9, only on the stateless side", async () => {
      const chat = chatStory(page);
      const stateful = side(page, "stateful");
      const stateless = side(page, "stateless");
      const server = async (app: typeof stateful, user: string) =>
        /on (\S+)/.exec((await app.locator(`.chatter[data-user="${user}"] h4`).textContent()) ?? "")?.[1];

      await chat.open();
      for (const app of [stateful, stateless]) expect(await server(app, "alice")).not.toBe(await server(app, "bob"));

      await chat.write();
      const bobsMessages = stateless.locator('.chatter[data-user="bob"] .messages');
      await expectText(bobsMessages, "Pizza <b>tonight</b>?"); // the markup shown as text
      expect(await bobsMessages.locator("b").count()).toBe(0);
      await expectText(stateful.locator('.chatter[data-user="alice"] .answer'), "bob is not connected to stateful-");
      expect(await stateful.locator('.chatter[data-user="bob"] .messages').textContent()).toBe("No messages yet.");

      await chat.type();
      expect(await stateful.locator('.chatter[data-user="bob"] .typing').textContent()).toBe("nobody typing");

      const bobWasOn = await server(stateless, "bob");
      await chat.killBobsServer();
      await expectText(stateless.locator('.chatter[data-user="bob"] h4'), "(reconnected 1×)");
      expect(await server(stateless, "bob")).not.toBe(bobWasOn);
      await expectText(bobsMessages, "Pizza <b>tonight</b>?");
      await expectText(stateful.locator('.chatter[data-user="bob"] h4'), "401 UNKNOWN_SESSION");
      // Bob's refusal shows before the kill's action is over: a click meanwhile would be refused (BUSY).
      await startKilledServers(page);
    }, 90_000);

    it("shows Dave's orders gone with the stateful server that cooked them, and cooked elsewhere on the stateless side, after kill -9", async () => {
      // While both sides cook, the diagrams draw the orders where they are: on the stateful side all
      // of Dave's on the one server that took them (sticky), in its memory; on the stateless side on
      // the servers whose workers are cooking them.
      const ordersDrawn = (app: "stateful" | "stateless") =>
        side(page, app).locator("svg.architecture .arch-server .orders");
      // Until the kill, no order may be shown gone, not even for a moment while Dave is still
      // ordering (an order placed after the last GET /orders was asked is not in its answer yet).
      await page.evaluate(`window.goneShown = 0;
        window.goneWatch = new MutationObserver(() => { if (document.querySelector(".kitchen .order.gone")) window.goneShown++; });
        window.goneWatch.observe(document.body, { subtree: true, childList: true, characterData: true });`);
      await kitchenStory(page, async () => {
        await ordersDrawn("stateful").first().waitFor({ timeout: 5_000 });
        expect(await ordersDrawn("stateful").count()).toBe(1);
        expect(await ordersDrawn("stateful").locator("title").textContent()).toMatch(/in its memory$/);
        await ordersDrawn("stateless").first().waitFor({ timeout: 5_000 });
        await page.locator("#status", { hasText: "Ready." }).waitFor(); // every order placed
        await page.evaluate("window.goneWatch.disconnect()");
        expect(await page.evaluate("window.goneShown")).toBe(0);
      });
      const kitchen = (app: "stateful" | "stateless") => side(page, app).locator(".kitchen");

      // Stateful: his orders, their queue and his session lived in the killed server's memory. He
      // logged in again, on another server, which knows none of them.
      await expectText(kitchen("stateful").locator("h3"), "the queue is in this server's memory");
      const gone = await kitchen("stateful").locator(".order.gone").allTextContents();
      expect(gone).toHaveLength(10);
      for (const text of gone) expect(text).toMatch(/gone: stateful-\d does not know it/);
      expect(await side(page, "stateful").locator(".log").textContent()).toContain("Dave → balancer");

      // Stateless: every order ready, the killed server's cooked again by another server's worker.
      await expectText(kitchen("stateless").locator("h3"), "the queue is in PostgreSQL (pg-boss)");
      await expectText(kitchen("stateless").locator(".summary"), "10 ready, 0 preparing, 0 waiting, 0 gone");
      const killed = await side(page, "stateless").locator(".instance.down .name").textContent();
      const again = await kitchen("stateless").locator(".order.ready", { hasText: "(attempt 2)" }).allTextContents();
      expect(again.length).toBeGreaterThanOrEqual(1);
      for (const text of again) expect(text).not.toContain(killed!);

      await startKilledServers(page);
    }, 90_000);

    it("asks every server for Alice's credit after she pays: the stateful servers disagree, the stateless ones agree", async () => {
      const press = async (key: string, selector: string, text: string) => {
        await page.locator("#status", { hasText: "Ready." }).waitFor();
        await page.keyboard.press(key);
        for (const app of ["stateful", "stateless"] as const) {
          await side(page, app).locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
        }
      };
      await press("1", ".shopper h3", "— logged in");
      await press("2", ".shopper .cart", "Large pepperoni pizza");
      await press("6", ".shopper .answer", "POST /checkout → 201");
      await press("7", ".wallets h3", "as each server says");
      await page.locator("#status", { hasText: "Ready." }).waitFor();

      const said = async (app: "stateful" | "stateless") => {
        const amounts = await side(page, app).locator(".wallets li strong").allTextContents();
        expect(amounts).toHaveLength(3); // every server was asked, directly
        for (const amount of amounts) expect(amount).toMatch(/^\$\d+\.\d\d$/);
        return new Set(amounts);
      };
      // Stateful: the server Alice paid at knows it, the others still have their own copy of her credit.
      expect((await said("stateful")).size).toBeGreaterThan(1);
      await expectText(side(page, "stateful").locator(".wallets .answer"), "The servers disagree");
      expect((await said("stateless")).size).toBe(1);
      await expectText(side(page, "stateless").locator(".wallets .answer"), "Every server says the same");
      expect(await side(page, "stateful").locator(".log").textContent()).toMatch(
        /Alice asks stateful-\d directly for her credit, and logs out: \$\d+\.\d\d/,
      );
    }, 60_000);

    it("shows Alice's avatar on every stateless server, and on the stateful one that saved it only", async () => {
      await page.locator("#status", { hasText: "Ready." }).waitFor();
      await page.keyboard.press("8");
      for (const app of ["stateful", "stateless"] as const) {
        await side(page, app).locator(".avatars h3").waitFor({ timeout: 15_000 });
      }
      await page.locator("#status", { hasText: "Ready." }).waitFor();
      // Every server was asked, directly; the stateless ones all serve the very picture she uploaded.
      const stateless = side(page, "stateless").locator(".avatars li");
      expect(await stateless.count()).toBe(3);
      expect(await side(page, "stateless").locator(".avatars li.current img").count()).toBe(3);
      const pictures = await Promise.all(
        (await side(page, "stateless").locator(".avatars img").all()).map((image) => image.getAttribute("src")),
      );
      expect(new Set(pictures).size).toBe(1);
      await expectText(
        side(page, "stateless").locator(".avatars .answer"),
        "Every server serves the picture she uploaded",
      );
      // Stateful: the server that took the upload has it on its disk; the others do not.
      expect(await side(page, "stateful").locator(".avatars li").count()).toBe(3);
      expect(await side(page, "stateful").locator(".avatars li.current").count()).toBe(1);
      await expectText(side(page, "stateful").locator(".avatars .answer"), "Not every server has it");
      expect(await side(page, "stateful").locator(".log").textContent()).toMatch(
        /A visitor asks stateful-\d directly for Alice's avatar: 404 NO_AVATAR/,
      );
    }, 60_000);

    it("turns stickiness off on the stateful side from the keyboard", async () => {
      await page.locator("#status", { hasText: "Ready." }).waitFor();
      await page.keyboard.press("t");
      await expectText(side(page, "stateful").locator(".balancer"), "round-robin");
      await expectText(side(page, "stateless").locator(".balancer"), "round-robin");
      await expectText(page.getByRole("button", { name: /Stickiness on/ }), "Stickiness on");
    }, 30_000);
  });

  describe("the stores' distance, on the stateless side", () => {
    it("steps through 0.5, 1 and 2 ms, and Alice's cart read then shows it in Server-Timing: each Redis round trip pays 2 ms", async () => {
      // An effect on the page, then "Ready." of the same render: the action is over, the next key is taken.
      const ready = () => page.locator("#status", { hasText: "Ready." }).waitFor();
      const distanceButton = (label: string) => page.getByRole("button", { name: label });
      for (const [now, next] of [
        ["0", "0.5"],
        ["0.5", "1"],
        ["1", "2"],
      ]) {
        await distanceButton(`Stores ${next} ms away (now ${now})`).waitFor();
        await ready();
        await page.keyboard.press("d");
      }
      await distanceButton("Stores back on loopback (now 2 ms)").waitFor();
      await ready();
      const stateless = side(page, "stateless");
      await expectText(stateless.locator('svg.architecture [data-store="redis"] .status'), "+2 ms");
      expect(await stateless.locator(".log").textContent()).toContain("The stores are 2 ms away (a round trip)");
      const newest = (await stateless.locator(".log li").first().textContent()) ?? "";
      await page.keyboard.press("5"); // View cart
      // Its line on top of the log (a string, run in the page: this file has no DOM types).
      const landed = `(() => {
        const line = document.querySelector('.side[data-side="stateless"] .log li');
        return Boolean(line && line.textContent !== ${JSON.stringify(newest)} && line.textContent.includes("GET /cart"));
      })()`;
      await page.waitForFunction(landed, null, { timeout: 15_000 });
      await ready();
      const read = await stateless.locator(".log li").first().textContent();
      const [, ms, operations] = /\(redis ([\d.]+) ms ×(\d+)\)/.exec(read ?? "") ?? [];
      expect({ read, found: ms !== undefined }).toEqual({ read, found: true });
      // Waiting only adds: however busy the machine, the round trips cost at least their distance.
      expect(Number(ms)).toBeGreaterThanOrEqual(2 * Number(operations) * 0.9);
      await page.keyboard.press("d");
      await distanceButton("Stores 0.5 ms away (now 0)").waitFor();
      await ready();
    }, 60_000);
  });

  describe("the workshop's actions", () => {
    const post = (action: string, body: unknown = {}, headers: Record<string, string> = {}) =>
      fetch(`${workshop.url}api/actions/${action}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { accepted?: string; error?: { code: string; message: string } },
      }));

    it("refuses a second action while one runs (409 BUSY), rather than queueing it", async () => {
      expect(await post("play", { journey: "happy-path", paceMs: 1000 })).toEqual({
        status: 202,
        body: { accepted: "play" },
      });
      const refused = await post("login");
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({
        code: "BUSY",
        message: expect.stringContaining("playing happy-path"),
      });
    });

    it("answers wrong input with a JSON error", async () => {
      expect((await post("reboot")).body.error?.code).toBe("BAD_ACTION");
      expect((await post("play", { journey: "no-such-journey" })).body.error?.code).toBe("BAD_ACTION");
      expect((await post("play", { journey: "happy-path", paceMs: -1 })).status).toBe(400);
      const form = await fetch(`${workshop.url}api/actions/login`, { method: "POST", body: "a=b" });
      expect(form.status).toBe(415);
    });

    it("answers only to the names of this machine (no DNS rebinding)", async () => {
      const { request } = await import("node:http");
      const status = await new Promise<number | undefined>((resolve) =>
        request(`${workshop.url}api/events`, { headers: { host: "attacker.example:80" } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        }).end(),
      );
      expect(status).toBe(421);
    });
  });

  describe("Ctrl-C on pnpm workshop", () => {
    // A replay is still going on (see above): Ctrl-C stops it too.
    it("stops every process it started and exits 0", async () => {
      // The replay started the servers killed earlier again: 3 + 3 instances, and its Redis.
      await page.locator(".instance.up").nth(5).waitFor();
      const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(workshop.pid)], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map(Number);
      expect(children).toHaveLength(7);

      expect(await workshop.stop()).toBe(0);
      expect(children.filter(alive)).toEqual([]);
    }, 30_000);
  });
});

async function expectText(locator: ReturnType<Page["locator"]>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}
