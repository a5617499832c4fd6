// What a run leaves in its report folder: this run's reports, and no page of an earlier run.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ComparisonReport } from "../src/compare/comparison-report";
import { writeReportFiles } from "../src/compare/report/files";

const report: ComparisonReport = {
  durationMs: 1000,
  setUpMs: 100,
  lanes: [],
  instances: 3,
  lb: "builtin",
  redis: "private redis-server",
  postgres: "private PostgreSQL",
  objectStorage: "private s3rver",
  results: [],
  latency: {},
  matched: true,
};

it("a run without --html removes the compare.html an earlier run left, so no page tells another run's story", async () => {
  const dir = mkdtempSync(join(tmpdir(), "report-files-"));
  try {
    writeFileSync(join(dir, "compare.html"), "<p>an earlier run</p>");
    const written = await writeReportFiles(report, dir);
    expect(written).toEqual([join(dir, "compare.json"), join(dir, "compare.md")]);
    expect(existsSync(join(dir, "compare.json"))).toBe(true);
    expect(existsSync(join(dir, "compare.html"))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
