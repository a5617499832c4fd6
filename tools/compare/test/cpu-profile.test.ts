// `pnpm bench --profile` reads V8 profiles by package: what the README's explanation of the
// costs rests on. A profile made by hand, with files in a package of its own on disk.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { summariseProfile, type CpuProfile } from "../src/bench/cpu-profile";

async function fakePackage(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "cpu-profile-"));
  const lib = join(root, "node_modules", "@scope", "session-lib", "lib");
  await mkdir(lib, { recursive: true });
  await writeFile(join(root, "node_modules", "@scope", "session-lib", "package.json"), '{"name":"@scope/session-lib"}');
  // A folder with a package.json but no name (as some packages have for "type": "module") is passed over.
  await writeFile(join(lib, "package.json"), '{"type":"commonjs"}');
  return pathToFileURL(join(lib, "store.js")).href;
}

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url, lineNumber: 0, columnNumber: 0 },
  children,
});

function profile(libUrl: string, samples: number[], deltasUs: number[]): CpuProfile {
  return {
    startTime: 1_000_000,
    nodes: [
      frame(1, "(root)", "", [2, 3, 6, 7, 8]),
      frame(2, "parserOnHeadersComplete", "node:_http_common", [4]),
      frame(3, "hash", "node:internal/crypto/hash"),
      frame(4, "get", libUrl, [5]),
      frame(5, "parse", ""), // JSON.parse: no file, charged to its caller
      frame(6, "(garbage collector)", ""),
      frame(7, "(idle)", ""),
      frame(8, "(program)", ""),
    ],
    samples,
    timeDeltas: deltasUs,
  };
}

describe("summariseProfile", () => {
  it("charges each sample's time to a package, native frames to their caller, idle apart", async () => {
    const lib = await fakePackage();
    const summary = summariseProfile(
      profile(lib, [2, 4, 5, 5, 3, 6, 7, 7, 8], [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]),
    );
    expect(summary.totalMs).toBe(9);
    expect(summary.busyPercent).toBeCloseTo(77.8, 1); // 7 of 9 ms
    expect(summary.windowOnly).toBe(false);
    expect(Object.fromEntries(summary.packages.map((p) => [p.package, p.ms]))).toEqual({
      "@scope/session-lib": 3,
      "node:http": 1,
      "node:crypto": 1,
      GC: 1,
      "native (V8, libuv)": 1,
    });
    expect(summary.packages[0]).toEqual({ package: "@scope/session-lib", ms: 3, percent: 42.9 });
  });

  it("counts only the samples in the measured window when one is given", async () => {
    const lib = await fakePackage();
    // Samples at 1.001 s, 1.002 s, 1.003 s (start-up, say), then 1.5 s and 1.501 s (the run).
    const run = profile(lib, [3, 3, 3, 4, 2], [1000, 1000, 1000, 497_000, 1000]);
    const summary = summariseProfile(run, { fromUs: 1_400_000, toUs: 1_600_000 });
    expect(summary.windowOnly).toBe(true);
    expect(summary.packages.map((p) => p.package)).toEqual(["@scope/session-lib", "node:http"]);
    // A window no sample falls in (another clock): the whole profile, and it says so.
    expect(summariseProfile(run, { fromUs: 0, toUs: 10 }).windowOnly).toBe(false);
  });
});
