// The sequence diagrams of `pnpm compare`, read by Mermaid's own parser in a real browser (the
// Mermaid that compare.html bundles): from a real run of server-crash and store-outage, the
// lifelines, the faults and the answer that failed the journey; every diagram of compare.md drawn
// by a page that fetches nothing; and a long journey folded into a readable one.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { JourneyResult } from "../src/journeys/result";
import type { Step } from "../src/journeys/steps";
import { sequenceDiagram } from "../src/compare/report/sequence-diagram";
import { describeNeeding } from "./prerequisites";
import { runCli } from "./run-cli";
import { launchChromium } from "./support/browser";

jest.setTimeout(120_000);

/** What Mermaid's parser makes of a diagram: its lifelines, and its messages and notes in order. */
interface Parsed {
  lifelines: { id: string; title: string; kind: string }[];
  messages: { from: string; to: string; text: string; kind: "request" | "answer" | "crossed" | "note" | "other" }[];
}

/** Mermaid's parse of `diagram`, in the page (which must have loaded compare.html, and so Mermaid). */
function parse(page: Page, diagram: string): Promise<Parsed> {
  return page.evaluate(async (text) => {
    const mermaid = (globalThis as unknown as { mermaid: MermaidGlobal }).mermaid;
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    const kinds: Record<number, Parsed["messages"][number]["kind"]> = {
      [db.LINETYPE.SOLID]: "request",
      [db.LINETYPE.DOTTED]: "answer",
      [db.LINETYPE.DOTTED_CROSS]: "crossed",
      [db.LINETYPE.NOTE]: "note",
    };
    return {
      lifelines: [...db.getActors().values()].map((actor) => ({
        id: actor.name,
        title: actor.description,
        kind: actor.type,
      })),
      messages: db.getMessages().map((message) => ({
        from: message.from,
        to: message.to,
        text: String(message.message),
        kind: kinds[message.type] ?? "other",
      })),
    };
  }, diagram);
}

interface MermaidGlobal {
  mermaidAPI: {
    getDiagramFromText(text: string): Promise<{
      db: {
        LINETYPE: { SOLID: number; DOTTED: number; DOTTED_CROSS: number; NOTE: number };
        getActors(): Map<string, { name: string; description: string; type: string }>;
        getMessages(): { from: string; to: string; message: unknown; type: number }[];
      };
    }>;
  };
}

/** The Mermaid blocks of compare.md, by the `<summary>` above each: "server-crash, stateful". */
function diagramsIn(markdown: string): Map<string, string> {
  const blocks = markdown.matchAll(/<summary><b>([^<]+)<\/b>, (\w+):[^<]*<\/summary>\n\n```mermaid\n([\s\S]*?)```/g);
  return new Map([...blocks].map(([, journey, app, diagram]) => [`${journey}, ${app}`, diagram!]));
}

const titles = (parsed: Parsed) => parsed.lifelines.map((lifeline) => lifeline.title);
const notes = (parsed: Parsed) => parsed.messages.filter((m) => m.kind === "note").map((m) => m.text);

describeNeeding("chromium", "the sequence diagrams of pnpm compare, in Mermaid's own parser", () => {
  let browser: Browser;
  let page: Page;
  let diagrams: Map<string, string>;
  const fetched: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "compare-diagrams-"));
    const args = ["--journey", "server-crash", "--journey", "store-outage", "--html", "--report-dir", dir];
    const { code, stdout, stderr } = await runCli(args);
    if (code !== 0) throw new Error(`pnpm compare exited ${code}:\n${stdout}${stderr}`);
    diagrams = diagramsIn(await readFile(join(dir, "compare.md"), "utf8"));
    browser = await launchChromium();
    page = await browser.newPage();
    page.on("request", (request) => fetched.push(request.url()));
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => void (message.type() === "error" && pageErrors.push(message.text())));
    await page.goto(`file://${join(dir, "compare.html")}`);
    await page.locator("body[data-diagrams=drawn]").waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("writes a diagram per journey and app into compare.md, and compare.html draws each of them without fetching anything", async () => {
    expect([...diagrams.keys()].sort()).toEqual([
      "server-crash, stateful",
      "server-crash, stateless",
      "store-outage, stateful",
      "store-outage, stateless",
    ]);
    expect(await page.locator("pre.mermaid svg").count()).toBe(4);
    expect(await page.locator("svg[aria-roledescription=error]").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    expect(fetched.filter((url) => !url.startsWith("file://"))).toEqual([]);
    // The latency charts: one per app, with its requests counted.
    expect(
      await page.locator("svg.latency").evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute("data-app"))),
    ).toEqual(["stateful", "stateless"]);
  });

  it("draws server-crash on the stateful app: Alice, the killed server, and the 401 that failed her crossed out", async () => {
    const parsed = await parse(page, diagrams.get("server-crash, stateful")!);
    const [killNote] = notes(parsed).filter((note) => note.startsWith("kill -9 "));
    const killed = /kill -9 (stateful-\d)/.exec(killNote ?? "")?.[1];
    expect(killed).toBeDefined();
    expect(titles(parsed)).toEqual(expect.arrayContaining(["Alice", "balancer", killed]));
    expect(parsed.lifelines.find((lifeline) => lifeline.title === "Alice")!.kind).toBe("actor");
    // The stateful servers keep the session in their own memory: no store has a lifeline.
    expect(titles(parsed)).not.toContain("Redis");

    const crossed = parsed.messages.filter((message) => message.kind === "crossed");
    expect(crossed).toHaveLength(1);
    const alice = parsed.lifelines.find((lifeline) => lifeline.title === "Alice")!.id;
    expect(crossed[0]).toMatchObject({ to: alice, text: expect.stringMatching(/^401 UNKNOWN_SESSION/) });
    const answeredBy = parsed.lifelines.find((lifeline) => lifeline.id === crossed[0]!.from)!.title;
    expect(answeredBy).toMatch(/^stateful-\d$/);
    expect(answeredBy).not.toBe(killed);
    // The note after it says why, and the kill comes before it.
    const order = parsed.messages.map((message) => message.text);
    expect(order.indexOf(killNote!)).toBeLessThan(order.indexOf(crossed[0]!.text));
    expect(notes(parsed).at(-1)).toMatch(/the journey failed here/);
  });

  it("draws server-crash on the stateless app: every answer through Redis, and nothing crossed out", async () => {
    const parsed = await parse(page, diagrams.get("server-crash, stateless")!);
    expect(titles(parsed)).toEqual(expect.arrayContaining(["Alice", "balancer", "Redis"]));
    expect(parsed.messages.filter((message) => message.kind === "crossed")).toEqual([]);
    expect(notes(parsed).some((note) => /^kill -9 stateless-\d$/.test(note))).toBe(true);
    const redis = parsed.lifelines.find((lifeline) => lifeline.title === "Redis")!.id;
    expect(parsed.messages.filter((message) => message.to === redis).length).toBeGreaterThan(0);
  });

  it("draws store-outage on the stateless app with Redis frozen and resumed as notes over Redis", async () => {
    const parsed = await parse(page, diagrams.get("store-outage, stateless")!);
    const redis = parsed.lifelines.find((lifeline) => lifeline.title === "Redis")!.id;
    const faults = parsed.messages.filter(
      (message) => message.kind === "note" && /^Redis (frozen|resumed)/.test(message.text),
    );
    expect(faults.map((fault) => [fault.from, fault.text.split(" ")[1]])).toEqual([
      [redis, "frozen"],
      [redis, "resumed"],
    ]);
  });

  it("reads the README's diagram (pnpm readme:diagram) as Mermaid does: Alice's 401 on another server crossed out", async () => {
    const readme = await readFile(join(__dirname, "..", "..", "..", "README.md"), "utf8");
    const diagram = /<!-- readme:diagram -->\s*```mermaid\n([\s\S]*?)```\s*<!-- \/readme:diagram -->/.exec(readme)?.[1];
    expect(diagram).toBeDefined();
    const parsed = await parse(page, diagram!);
    expect(titles(parsed)).toEqual(expect.arrayContaining(["Alice", "balancer"]));
    expect(parsed.messages.filter((message) => message.kind === "crossed")).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^401 UNKNOWN_SESSION/) }),
    ]);
  });

  it("folds a long journey: like requests into notes with counts, while the fault and the failure stay drawn in full", async () => {
    const parsed = await parse(page, sequenceDiagram(longJourney()));
    // 600 steps drawn in well under a hundred lines.
    expect(parsed.messages.length).toBeLessThan(60);
    expect(notes(parsed)).toContain("kill -9 stateful-1");
    // Every one of the 600 requests is drawn or counted in a note, once.
    const folded = notes(parsed).flatMap((note) => {
      const stretch =
        /^Alice: (\d+) requests: POST \/cart\/items ×\d+, GET \/cart ×\d+ · answers 200 ×\d+ · served by stateful-\d ×\d+$/.exec(
          note,
        );
      return stretch ? [Number(stretch[1])] : [];
    });
    expect(folded).toHaveLength(2);
    const drawn = parsed.messages.filter((message) => message.kind === "request" && message.to === "lb");
    expect(folded.reduce((sum, count) => sum + count, 0) + drawn.length).toBe(600);
    const crossed = parsed.messages.filter((message) => message.kind === "crossed");
    expect(crossed).toEqual([expect.objectContaining({ text: "401 UNKNOWN_SESSION (3 ms)" })]);
    expect(titles(parsed)).toEqual(["Alice", "balancer", "stateful-1", "stateful-2"]);
  });
});

/** 300 steps on stateful-1, a kill, 299 fine steps on stateful-2, then a 401 that fails the journey. */
function longJourney(): JourneyResult {
  const step = (index: number, instance: string, status = 200): Step => ({
    shopper: "Alice",
    request: index % 3 === 0 ? "GET /cart" : "POST /cart/items",
    instance,
    status,
    ...(status === 401 && { code: "UNKNOWN_SESSION" }),
    ms: 3,
    stores: [{ store: "memory", ms: 0.1, operations: 2 }],
  });
  const steps = [
    ...Array.from({ length: 300 }, (_, index) => step(index, "stateful-1")),
    ...Array.from({ length: 299 }, (_, index) => step(index, "stateful-2")),
    step(1, "stateful-2", 401),
  ];
  return {
    journey: "server-crash",
    app: "stateful",
    lb: "builtin sticky",
    expected: "fail",
    outcome: "fail",
    matched: true,
    failure: "POST /cart/items on stateful-2 → 401 UNKNOWN_SESSION",
    details: {},
    durationMs: 1000,
    steps,
    faults: [{ afterSteps: 300, fault: "kill -9 stateful-1" }],
    failingStep: steps.length - 1,
  };
}
