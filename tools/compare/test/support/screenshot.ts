// `pnpm workshop:screenshot`: regenerates the README's pictures of the dashboard (docs/workshop.png
// after the crash story, docs/workshop-chat.png after the chat story, docs/workshop-kitchen.png
// after the kitchen story) from the real page: a real
// `pnpm workshop`, in headless Chromium. It
// lives with the browser test it shares its story with (run by tsx), so that playwright-core
// stays a development dependency; it runs through the same runner as every command.
import { Command } from "commander";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { EXIT, runCommand } from "../../src/commands/runner";
import {
  chatStory,
  crashStory,
  kitchenStory,
  launchChromium,
  PROJECTOR,
  requestsLanded,
  startKilledServers,
} from "./browser";
import { startWorkshopProcess } from "./workshop-process";

const DEFAULT_OUT = resolve(__dirname, "..", "..", "..", "..", "docs", "workshop.png");

const program = new Command()
  .name("pnpm workshop:screenshot")
  .description(
    "Regenerate the README's pictures of the dashboard from the real page: after the crash story, after the " +
      "chat story (beside it, -chat.png) and after the kitchen story (-kitchen.png).",
  )
  .argument("[file]", "where to write the first PNG", DEFAULT_OUT)
  .addHelpText(
    "after",
    "\nNeeds Chromium (apt-get install chromium, or CHROMIUM_PATH). Exit code: 0, or 2 if it could not run.",
  );

runCommand<Record<string, never>>({
  program,
  async run(_options, { say, onInterrupt }) {
    const out = resolve(program.processedArgs[0] as string);
    const browser = await launchChromium();
    onInterrupt(() => browser.close());
    const workshop = await startWorkshopProcess().catch(async (error: unknown) => {
      await browser.close();
      throw error;
    });
    onInterrupt(async () => void (await workshop.stop()));
    try {
      const page = await browser.newPage({ viewport: PROJECTOR });
      await crashStory(page, workshop.url);
      await mkdir(dirname(out), { recursive: true });
      await requestsLanded(page);
      await page.screenshot({ path: out, fullPage: true });
      say(`Screenshot: ${out}`);
      const shoot = async (suffix: string) => {
        const file = out.replace(/(\.png)?$/i, `-${suffix}.png`);
        await requestsLanded(page);
        await page.screenshot({ path: file, fullPage: true });
        say(`Screenshot: ${file}`);
      };
      await startKilledServers(page); // each next story from a healthy start
      const chat = chatStory(page);
      for (const step of [chat.open, chat.write, chat.type, chat.killBobsServer]) await step();
      await shoot("chat");
      await startKilledServers(page); // each next story from a healthy start
      await kitchenStory(page);
      await shoot("kitchen");
      return EXIT.ok;
    } finally {
      await browser.close();
      await workshop.stop();
    }
  },
});
