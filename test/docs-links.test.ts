// Every relative link of the README and docs/ leads somewhere: the file exists, and a `#anchor`
// names a heading of that page, as GitHub makes its anchors.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = join(__dirname, "..");
const PAGES = [
  join(ROOT, "README.md"),
  join(ROOT, "SECURITY.md"),
  ...readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(ROOT, "docs", name)),
];

/** The page without its fenced code blocks (a link in an example is not a link). */
const prose = (page: string) => readFileSync(page, "utf8").replace(/^```[\s\S]*?^```/gm, "");

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
  it.each(PAGES.map((page) => relative(ROOT, page)))("%s: every relative link resolves", (name) => {
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
