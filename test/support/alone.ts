// A test that needs the machine to itself waits here until every other test file has finished
// (see test/alone.js for why and how).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { waitUntil } from "@cart/local-infra";

/** The other test files running now, by their paths; none when Jest runs without our reporter. */
function othersRunning(testPath: string): string[] {
  const folder = process.env.CART_RUNNING_TESTS;
  // No folder: Jest ran without our reporter, or the run is ending (--bail).
  if (!folder || !existsSync(folder)) return [];
  // A marker may go between the listing and its reading: that test has finished.
  const paths = readdirSync(folder).map((name) => {
    try {
      return readFileSync(join(folder, name), "utf8");
    } catch {
      return testPath;
    }
  });
  return paths.filter((path) => path !== testPath);
}

/** Resolves once no other test file runs; fails if one still does after `limitMs`. */
export async function untilAlone(testPath: string, limitMs: number): Promise<void> {
  const others = othersRunning(testPath);
  if (others.length === 0) return;
  const names = others.map((path) => relative(process.cwd(), path)).join(", ");
  process.stdout.write(`${relative(process.cwd(), testPath)} waits for the machine to itself: ${names}\n`);
  await waitUntil(
    async () => othersRunning(testPath).length === 0,
    limitMs,
    `other test files still ran beside ${relative(process.cwd(), testPath)} after ${limitMs / 1000} s`,
  );
}
