// Every relative link of the README and docs/ leads somewhere: the file exists, and a `#anchor`
// names a heading of that page, as GitHub makes its anchors.
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { PAGES, pageName, prose, ROOT } from "./support/pages";

/** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(page: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of prose(page).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\- _]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

describe("the docs' links", () => {
  it.each(PAGES.map(pageName))("%s: every relative link resolves", (name) => {
    const page = join(ROOT, name);
    const broken: string[] = [];
    for (const [, target] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
      const [path, anchor] = target!.split("#") as [string, string | undefined];
      const file = path ? join(dirname(page), decodeURIComponent(path)) : page;
      if (!existsSync(file)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && !statSync(file).isDirectory() && file.endsWith(".md") && !anchorsOf(file).has(anchor)) {
        broken.push(`${target}: no heading with that anchor`);
      }
    }
    expect(broken).toEqual([]);
  });
});
