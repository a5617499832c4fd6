// The house rule of tools/compare: imports go one way, down the layers, never up and never in a
// cycle: commands → what they run (compare, workshop, bench, memory) → journeys → the rig →
// balancers → the vocabulary and utilities. The page (web/) imports the vocabulary and the
// dashboard's wire format, nothing else of the server. Read from the source files themselves.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = join(__dirname, "..", "src");
const WEB = join(__dirname, "..", "web", "src");

const LAYERS: string[][] = [
  ["commands"],
  ["compare", "workshop", "bench", "memory"],
  ["journeys"],
  ["rig"],
  ["balancer"],
  ["vocabulary.ts", "util.ts"],
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The files of `src` that `file` imports (relative imports only). */
function importsOf(file: string): string[] {
  const specifiers = [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)];
  return specifiers.map(([, specifier]) => resolve(dirname(file), specifier!));
}

/** The layer of a path under src: its first folder, or its file name at the top. */
function layerOf(path: string): number {
  const top = relative(SRC, path).split("/")[0]!;
  const layer = LAYERS.findIndex((names) => names.includes(top) || names.includes(`${top}.ts`));
  if (layer < 0) throw new Error(`${relative(SRC, path)} is in no layer: add its folder to LAYERS`);
  return layer;
}

const topFolder = (path: string) => relative(SRC, path).split("/")[0];

describe("tools/compare's imports", () => {
  const files = tsFiles(SRC);

  it("go down the layers only (or stay within a folder)", () => {
    const upward = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => topFolder(target) !== topFolder(file) && layerOf(target) <= layerOf(file))
        .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it("form no cycle", () => {
    const graph = new Map(
      files.map((file) => [file.replace(/\.ts$/, ""), importsOf(file).map((t) => t.replace(/(\/index)?(\.ts)?$/, ""))]),
    );
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "visiting") {
        cycles.push([...path.slice(path.indexOf(node)), node].map((n) => relative(SRC, n)).join(" → "));
        return;
      }
      state.set(node, "visiting");
      for (const next of graph.get(node) ?? graph.get(`${node}/index`) ?? []) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("reach the page (web/) from the vocabulary and the dashboard's wire format only", () => {
    const allowed = [join(SRC, "vocabulary"), join(SRC, "workshop", "dashboard-state")];
    const reaching = tsFiles(WEB).flatMap((file) =>
      importsOf(file)
        .filter((target) => !target.startsWith(WEB) && !allowed.includes(target))
        .map((target) => `${relative(WEB, file)} → ${relative(SRC, target)}`),
    );
    const wireFormat = importsOf(join(SRC, "workshop", "dashboard-state.ts")).filter((t) => t !== allowed[0]);
    expect({ reaching, wireFormat }).toEqual({ reaching: [], wireFormat: [] });
  });
});
