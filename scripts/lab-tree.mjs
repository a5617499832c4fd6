// The lesson's trees, shared by `pnpm lab:reset` (which writes them into apps/lab) and
// `pnpm diff:apps --part N` (which diffs one part's tree with the one before it): a copy of the
// stateful app and, with `solvedParts`, the expected answer of parts 1..N on top of it (for each
// part: the stateless app's files it takes as they are, then its own solution files). After the
// last part, the tree is the stateless app. The parts are listed in apps/lab/parts.json.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const BANNER =
  "// LAB: a copy of apps/stateful/src (pnpm lab:reset). Make it stateless, part by part: see docs/parts/.\n";

/** The parts, in order: { part, name, story, journeys, fromStateless, solution? }. */
export function labParts(root) {
  return JSON.parse(readFileSync(join(root, "apps", "lab", "parts.json"), "utf8")).parts;
}

/** Whether a line is one lab:reset wrote (the banner, a hint), not the app's or the attendee's. */
export const isLabNote = (line) => line.trimStart().startsWith("// LAB");

/**
 * Writes the tree after parts 1..`solvedParts` into `src`. For the lab (`forLab`), the banner
 * that marks it, and the hints of the parts still to do, each above the line it is about.
 */
export function writeLabSources(root, src, { solvedParts = 0, forLab = true } = {}) {
  mkdirSync(src, { recursive: true });
  const statefulSrc = join(root, "apps", "stateful", "src");
  for (const file of readdirSync(statefulSrc).filter((name) => name.endsWith(".ts"))) {
    cpSync(join(statefulSrc, file), join(src, file));
  }
  if (forLab) writeFileSync(join(src, "app.ts"), BANNER + readFileSync(join(src, "app.ts"), "utf8"));
  const statelessSrc = join(root, "apps", "stateless", "src");
  for (const { fromStateless, solution } of labParts(root).slice(0, solvedParts)) {
    for (const file of fromStateless) cpSync(join(statelessSrc, file), join(src, file));
    if (solution) cpSync(join(root, "apps", "lab", solution), src, { recursive: true });
  }
  if (forLab) for (const part of labParts(root).slice(solvedParts)) writeHints(src, part);
}

/** Writes a part's hints as comments above the lines they are about; a hint that finds no line is a bug here. */
function writeHints(src, { part, name, hints = [] }) {
  for (const { file, at, hint } of hints) {
    // A file an earlier part makes (database.ts) gets its hints once the lab is past that part.
    if (!existsSync(join(src, file))) continue;
    const lines = readFileSync(join(src, file), "utf8").split("\n");
    const index = lines.findIndex((line) => line.includes(at));
    if (index < 0) throw new Error(`the hint of part ${part} finds no line holding "${at}" in ${file}`);
    const indent = /^\s*/.exec(lines[index])[0];
    const comment = wrap(`LAB HINT, part ${part} (${name}): ${hint}`, 100 - indent.length - "// LAB   ".length).map(
      (text, i) => `${indent}// ${i === 0 ? "" : "LAB   "}${text}`,
    );
    lines.splice(index, 0, ...comment);
    writeFileSync(join(src, file), lines.join("\n"));
  }
}

/** `text` in lines of at most `width` characters, broken between words. */
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}
