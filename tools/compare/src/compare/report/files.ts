import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ComparisonReport } from "../comparison-report";
import { markdownReport } from "./markdown";

/** Writes compare.json and compare.md into `dir`; returns their paths. */
export async function writeReportFiles(report: ComparisonReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, "compare.json");
  const markdown = join(dir, "compare.md");
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, markdownReport(report));
  return [json, markdown];
}
