// The dashboard in a real browser: Debian's Chromium (or CHROMIUM_PATH) driven by playwright-core,
// which never downloads a browser of its own. Used by the browser test and by the script that
// regenerates the README's screenshot, so both show the same story.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

const DEFAULT_CHROMIUM = "/usr/bin/chromium";
// Headless in a sandboxed container, with no calls home: the machine may have no network at all.
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];
const STEP_TIMEOUT_MS = 15_000;
/** The stateless side's last orders: a lease of 9 s to run out, then 3 s of cooking, on a busy machine. */
const KITCHEN_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 30_000;

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `no Chromium at ${path}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary`,
    );
  }
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

/** A projector's resolution, so the screenshot shows what the room sees. */
export const PROJECTOR = { width: 1600, height: 1000 };

/**
 * The workshop's opening story, by the buttons: Alice logs in and adds a pizza (by keyboard),
 * the server that served her is killed, she views her cart. Resolves once both sides show it.
 */
export async function crashStory(page: Page, dashboardUrl: string): Promise<void> {
  await page.goto(dashboardUrl);
  await page.locator(".instance.up").nth(5).waitFor({ timeout: STEP_TIMEOUT_MS });
  await ready(page);

  await page.getByRole("button", { name: "Log in as Alice" }).click();
  await bothSides(page, ".shopper h3", "— logged in");
  await ready(page);

  await page.keyboard.press("2"); // "Add pepperoni pizza", by its shortcut
  await bothSides(page, ".shopper .cart", "Large pepperoni pizza");
  await ready(page);

  await page.getByRole("button", { name: /Kill the last server/ }).click();
  await bothSides(page, ".instance.down", "DOWN");
  await ready(page);

  await page.getByRole("button", { name: "View cart" }).click();
  await bothSides(page, ".shopper .answer", "GET /cart");
  await ready(page);
}

/**
 * The chat story, one step at a time (the browser test checks more between them; the screenshot
 * script plays them all): each resolves once both sides show its outcome and the page is ready.
 */
export function chatStory(page: Page) {
  const chatter = (app: "stateful" | "stateless", user: string, selector: string) =>
    side(page, app).locator(`.chatter[data-user="${user}"] ${selector}`);
  const step = async (key: string, ...outcomes: [ReturnType<Page["locator"]>, string][]) => {
    await ready(page);
    await page.keyboard.press(key);
    for (const [locator, text] of outcomes) {
      await locator.filter({ hasText: text }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    }
    await ready(page);
  };
  return {
    /** C: Alice and Bob open their chats, on different servers of each side. */
    open: () =>
      step("c", [chatter("stateful", "bob", "h4"), "Bob's chat"], [chatter("stateless", "bob", "h4"), "Bob's chat"]),
    /** W: Alice writes; Bob gets it on the stateless side, Alice is told why not on the stateful one. */
    write: () =>
      step(
        "w",
        [chatter("stateless", "bob", ".messages"), "Pizza"],
        [chatter("stateful", "alice", ".answer"), "is not connected"],
      ),
    /** Y: Alice types; Bob sees it on the stateless side. */
    type: () => step("y", [chatter("stateless", "bob", ".typing"), "alice is typing"]),
    /** B: Bob's server is killed; he reconnects elsewhere (stateless) or is refused (stateful). */
    killBobsServer: () =>
      step("b", [chatter("stateless", "bob", "h4"), "(reconnected"], [chatter("stateful", "bob", "h4"), "refused:"]),
  };
}

/**
 * The kitchen story: O, Dave orders ten meals on each side; X, as soon as both sides are cooking
 * (and `whileCooking` has looked), the server cooking his order is killed. Resolves once the
 * stateful side shows every order gone and the stateless side every order ready (a job whose
 * worker was killed goes to another server when its lease, three times its cooking, runs out).
 */
export async function kitchenStory(page: Page, whileCooking: () => Promise<void> = async () => {}): Promise<void> {
  await ready(page);
  await page.keyboard.press("o");
  await bothSides(page, ".kitchen .order.preparing", "cooking on");
  await whileCooking();
  await ready(page);
  await page.keyboard.press("x");
  await bothSides(page, ".instance.down", "DOWN");
  await ready(page);
  const summary = (app: "stateful" | "stateless", text: string) =>
    side(page, app).locator(".kitchen .summary", { hasText: text }).waitFor({ timeout: KITCHEN_TIMEOUT_MS });
  await summary("stateful", "10 gone");
  await summary("stateless", "10 ready");
}

/**
 * "Start killed servers", for the next story's healthy start: resolves once every server of both
 * sides is up again and the page is ready. A Node server starting on a machine busy with other
 * tests took over 10 s, hence more than a step's time.
 */
export async function startKilledServers(page: Page): Promise<void> {
  await ready(page);
  await page.getByRole("button", { name: "Start killed servers" }).click();
  await page.locator(".instance.down").first().waitFor({ state: "detached", timeout: START_TIMEOUT_MS });
  await ready(page);
}

export function side(page: Page, app: "stateful" | "stateless") {
  return page.locator(`.side[data-side="${app}"]`);
}

async function bothSides(page: Page, selector: string, text: string): Promise<void> {
  for (const app of ["stateful", "stateless"] as const) {
    await side(page, app).locator(selector, { hasText: text }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  }
}

/** Until no request is drawn travelling any more (for a screenshot of the state alone). */
export async function requestsLanded(page: Page): Promise<void> {
  // A string, run in the page: this file is compiled without the DOM's types.
  const landed = 'document.querySelectorAll("svg.architecture circle.request").length === 0';
  await page.waitForFunction(landed, null, { timeout: STEP_TIMEOUT_MS });
}

/** Until the last action is over: the next click would be refused while it runs. */
async function ready(page: Page): Promise<void> {
  await page.locator("#status", { hasText: "Ready." }).waitFor({ timeout: STEP_TIMEOUT_MS });
}
