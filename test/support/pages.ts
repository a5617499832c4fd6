// The pages a reader is given (README.md, SECURITY.md, docs/), and what the docs tests read in them.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export const ROOT = join(__dirname, "..", "..");

export const PAGES = [
  join(ROOT, "README.md"),
  join(ROOT, "SECURITY.md"),
  ...readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(ROOT, "docs", name)),
];

/** A page's path from the repository's root, as the tests name it. */
export const pageName = (page: string) => relative(ROOT, page);

/** The page without its fenced code blocks (a link in an example is not a link). */
export const prose = (page: string) => readFileSync(page, "utf8").replace(/^```[\s\S]*?^```/gm, "");

/** What a page says of a shell example it gives, in the comment just above it. */
export type ExampleMark = { runsIn: string[] } | { needs: string } | undefined;

export interface ShellExample {
  readonly page: string;
  /** The line of the opening fence. */
  readonly line: number;
  readonly code: string;
  readonly mark: ExampleMark;
}

/**
 * The shell examples of a page (```sh blocks), each with its mark, the comment just above it:
 * `<!-- example: runs in FILE, FILE -->` (those tests run its commands, with smaller sizes where
 * the example's would take minutes) or `<!-- example: needs WHAT -->` (what of the reader's own it
 * needs: a Docker engine, a Kubernetes cluster).
 */
export function shellExamples(page: string): ShellExample[] {
  const text = readFileSync(page, "utf8");
  return [...text.matchAll(/(?:<!-- example: (.+?) -->\n\n)?```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)].map((match) => {
    const [, said, code] = match;
    const line = text.slice(0, match.index + match[0].indexOf("```")).split("\n").length;
    const runsIn = said?.match(/^runs in (.+)$/)?.[1]?.split(/, | and /);
    const needs = said?.match(/^needs (.+)$/)?.[1];
    const mark = runsIn ? { runsIn } : needs ? { needs } : undefined;
    return { page, line, code: code!, mark };
  });
}
