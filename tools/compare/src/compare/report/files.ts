import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ComparisonReport } from "../comparison-report";
import { htmlReport } from "./html";
import { markdownReport } from "./markdown";

/** Writes compare.json and compare.md into `dir`, and compare.html if asked (else removes an old one); returns their paths. */
export async function writeReportFiles(
  report: ComparisonReport,
  dir: string,
  { html = false }: { html?: boolean } = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    [join(dir, "compare.json"), `${JSON.stringify(report, null, 2)}\n`],
    [join(dir, "compare.md"), markdownReport(report)],
  ];
  if (html) files.push([join(dir, "compare.html"), await htmlReport(report)]);
  // An earlier run's page beside this run's reports would tell another story.
  else await rm(join(dir, "compare.html"), { force: true });
  await Promise.all(files.map(([path, text]) => writeFile(path, text)));
  return files.map(([path]) => path);
}
