// `pnpm workshop` end to end: the real CLI (both clusters, a private Redis), its dashboard in
// headless Chromium, driven by its buttons and shortcuts. Saves a screenshot in reports/.
import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { crashStory, launchChromium, PROJECTOR, side } from "../src/workshop/browser";
import { startWorkshopProcess, type WorkshopProcess } from "../src/workshop/workshop-process";

const REPORT_DIR = join(__dirname, "..", "..", "..", "reports");

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

    await mkdir(REPORT_DIR, { recursive: true });
    await page.screenshot({ path: join(REPORT_DIR, "workshop.png"), fullPage: true });
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

  it("turns stickiness off on the stateful side from the keyboard", async () => {
    await page.locator("#status", { hasText: "Ready." }).waitFor();
    await page.keyboard.press("t");
    await expectText(side(page, "stateful").locator(".balancer"), "round-robin");
    await expectText(side(page, "stateless").locator(".balancer"), "round-robin");
    await expectText(page.getByRole("button", { name: /Stickiness on/ }), "Stickiness on");
  }, 30_000);
});

describe("Ctrl-C on pnpm workshop", () => {
  it("stops every process it started and exits 0", async () => {
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(workshop.pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
    // Its Redis, and every instance the page shows up (the replayed server-crash left one down per side).
    expect(children).toHaveLength((await page.locator(".instance.up").count()) + 1);

    expect(await workshop.stop()).toBe(0);
    expect(children.filter(isRunning)).toEqual([]);
  }, 30_000);
});

async function expectText(locator: ReturnType<Page["locator"]>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
