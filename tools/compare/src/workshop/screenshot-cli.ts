#!/usr/bin/env node
// `pnpm workshop:screenshot`: regenerates the README's picture of the dashboard (docs/workshop.png)
// from the real page: a real `pnpm workshop`, in headless Chromium, after the crash story.
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { crashStory, launchChromium, PROJECTOR } from "./browser";
import { startWorkshopProcess } from "./workshop-process";

const DEFAULT_OUT = resolve(__dirname, "..", "..", "..", "..", "docs", "workshop.png");

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? DEFAULT_OUT);
  const browser = await launchChromium();
  const workshop = await startWorkshopProcess().catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  try {
    const page = await browser.newPage({ viewport: PROJECTOR });
    await crashStory(page, workshop.url);
    await mkdir(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    console.log(`Screenshot: ${out}`);
  } finally {
    await browser.close();
    await workshop.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
