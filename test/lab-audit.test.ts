// The state audit on the workshop's lab (docs/workshop.md): a fresh lab keeps the state the
// stateful app keeps, and each part's answer (`pnpm lab:reset --solved --part N`) leaves only
// what the parts after it still have to move, as `pnpm find-state` reports it.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { findingLabel, type Finding } from "../packages/eslint-plugin-stateless/src/find-state";

const ROOT = join(__dirname, "..");
const ATTEMPT = join(ROOT, "apps", "lab", "attempts", `audit-${process.pid}`);
const FIND_STATE = join(ROOT, "packages", "eslint-plugin-stateless", "dist", "find-state.js");
/** What each part moves out of the server, as the audit labels it (apps/lab/parts.json's `audit`). */
const PARTS = (
  JSON.parse(readFileSync(join(ROOT, "apps", "lab", "parts.json"), "utf8")) as {
    parts: { part: number; audit: string[] }[];
  }
).parts;
const run = (...args: string[]) => promisify(execFile)(process.execPath, args, { cwd: ROOT });

/** The lab after `part` parts' answers (0: a fresh lab), made as an attendee makes it. */
async function labAfter(part: number): Promise<string> {
  const dir = join(ATTEMPT, `part-${part}`);
  await run(join(ROOT, "scripts", "lab.mjs"), "--dir", dir, ...(part > 0 ? ["--solved", "--part", String(part)] : []));
  return join(dir, "src");
}

/** Each folder's findings as kind and chain: one process for all (the kits it follows are read once). */
async function audit(dirs: string[]): Promise<string[][]> {
  const script = `
    const { findState } = require(${JSON.stringify(FIND_STATE)});
    (async () => {
      const audits = [];
      for (const dir of ${JSON.stringify(dirs)}) audits.push((await findState(dir)).findings);
      console.log(JSON.stringify(audits));
    })();`;
  const { stdout } = await run("-e", script);
  return (JSON.parse(stdout) as Finding[][]).map((findings) => findings.map(findingLabel).sort());
}

afterAll(() => rm(ATTEMPT, { recursive: true, force: true }));

describe("the state audit on the workshop's lab", () => {
  it("finds in a fresh lab what the stateful app keeps, and after each part only what later parts move", async () => {
    const parts = Array.from({ length: PARTS.length + 1 }, (_, part) => part);
    const labs = await Promise.all(parts.map(labAfter));
    const audits = (await audit(labs)).map((found, part) => ({ part, found }));
    for (const { part, found } of audits) {
      const left = PARTS.filter((later) => later.part > part).flatMap(({ audit }) => audit);
      expect({ part, found }).toEqual({ part, found: [...left].sort() });
    }
  }, 120_000);
});
