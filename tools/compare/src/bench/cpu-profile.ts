// Where a process's CPU went, by package: a V8 `.cpuprofile` (written by `node --cpu-prof`) read
// sample by sample, each sample's time charged to the package of the function it caught running
// (its self time). A function belongs to the nearest package.json with a name above its file, so
// express, express-session, jsonwebtoken, @redis/client, pino… and our own @cart/* packages are
// told apart without a list; Node's own modules by area (node:http, node:crypto, node:stream…). Functions without a file (V8's
// built-ins such as JSON.parse, and Node's C++ bindings such as a socket's writev) are charged to
// the JavaScript that called them, and V8 reports garbage collection and its own work by name.
// A server runs from one bundle (scripts/build.mjs): its functions are charged to the files they
// were bundled from, through the bundle's full source map.
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    /** Where the function starts, 0-based. */
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly children?: readonly number[];
}

/** The fields of a `.cpuprofile` this reads (Chrome DevTools' Profile type). */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Microseconds on the monotonic clock (the one process.hrtime reads, on Linux and macOS). */
  readonly startTime: number;
  readonly samples: readonly number[];
  /** Microseconds since the sample before. */
  readonly timeDeltas: readonly number[];
}

export interface PackageShare {
  readonly package: string;
  readonly ms: number;
  /** Of the busy time (everything but idle). */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Whether only the samples of the measured window were counted (else the whole run: start-up, logins…). */
  readonly windowOnly: boolean;
  /** How long the counted part ran, and how much of it the process was busy (not idle). */
  readonly totalMs: number;
  readonly busyPercent: number;
  /** Busy time by package, largest first. */
  readonly packages: readonly PackageShare[];
}

const IDLE = "(idle)";
const BY_NAME: Record<string, string> = {
  "(garbage collector)": "GC",
  "(program)": "native (V8, libuv)",
  "(root)": "native (V8, libuv)",
  [IDLE]: IDLE,
};

/** Microseconds on the clock of `process.hrtime.bigint() / 1000n`. */
export interface Window {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Busy time by package; only the samples taken within `window`, if it holds any. */
export function summariseProfile(profile: CpuProfile, window?: Window): ProfileSummary {
  const packageOfNode = packagesOfNodes(profile.nodes);
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (at += delta));
  const inWindow = (i: number) => !window || (times[i]! >= window.fromUs && times[i]! <= window.toUs);
  const windowOnly = window !== undefined && profile.samples.some((_id, i) => inWindow(i));
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (windowOnly && !inWindow(i)) return;
    const name = packageOfNode.get(id) ?? BY_NAME["(program)"]!;
    ms.set(name, (ms.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const totalMs = [...ms.values()].reduce((sum, n) => sum + n, 0);
  const idleMs = ms.get(IDLE) ?? 0;
  ms.delete(IDLE);
  const busyMs = totalMs - idleMs;
  const packages = [...ms]
    .map(([name, n]) => ({ package: name, ms: Math.round(n), percent: percentOf(n, busyMs) }))
    .sort((a, b) => b.ms - a.ms);
  return { windowOnly, totalMs: Math.round(totalMs), busyPercent: percentOf(busyMs, totalMs), packages };
}

const percentOf = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/** Each node's package: its own file's, or for a function without a file, its nearest caller's. */
function packagesOfNodes(nodes: readonly ProfileNode[]): Map<number, string> {
  const parent = new Map<number, ProfileNode>();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node);
  const owner = packageFinder();
  const packages = new Map<number, string>();
  for (const node of nodes) {
    let frame: ProfileNode | undefined = node;
    while (frame && frame.callFrame.url === "" && !(frame.callFrame.functionName in BY_NAME))
      frame = parent.get(frame.id);
    packages.set(node.id, frame ? owner(frame.callFrame) : "V8 built-ins");
  }
  return packages;
}

/** callFrame → the package it belongs to, remembering each folder's answer. */
function packageFinder(): (frame: ProfileNode["callFrame"]) => string {
  const byFolder = new Map<string, string>();
  const nameAbove = (folder: string): string => {
    const known = byFolder.get(folder);
    if (known !== undefined) return known;
    const manifest = join(folder, "package.json");
    let name: string | undefined;
    if (existsSync(manifest)) name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name;
    const parent = dirname(folder);
    const found = name ?? (parent === folder ? "(no package)" : nameAbove(parent));
    byFolder.set(folder, found);
    return found;
  };
  const bundledFrom = bundleSources();
  return ({ functionName, url, lineNumber, columnNumber }) => {
    if (url === "") return BY_NAME[functionName] ?? "V8 built-ins";
    if (url.startsWith("node:")) return nodeArea(url);
    const path = url.startsWith("file:") ? fileURLToPath(url) : url;
    if (!path.startsWith("/")) return "node:internal";
    return nameAbove(dirname(bundledFrom(path, lineNumber, columnNumber) ?? path));
  };
}

/** For a position in a server's bundle, the file it was bundled from (else undefined), each bundle's map read once. */
function bundleSources(): (path: string, line: number, column: number) => string | undefined {
  const maps = new Map<string, SourceMap | undefined>();
  return (path, line, column) => {
    if (!maps.has(path)) {
      const mapFile = join(dirname(path), "server.bundle.full.map");
      const isBundle = path.endsWith("server.bundle.js") && existsSync(mapFile);
      maps.set(path, isBundle ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8"))) : undefined);
    }
    const entry = maps.get(path)?.findEntry(line, column);
    if (!entry || !("originalSource" in entry)) return undefined;
    const source = entry.originalSource;
    return source.startsWith("file:") ? fileURLToPath(source) : resolve(dirname(path), source);
  };
}

/** node:_http_outgoing → node:http, node:internal/crypto/hash → node:crypto, node:internal/streams/… → node:stream. */
function nodeArea(url: string): string {
  const [first = "", second = ""] = url.slice("node:".length).split("/");
  const module = first === "internal" && second ? second : first;
  const area = module.replace(/^_/, "").replace(/_.*$/, "");
  return `node:${area === "stream" || area === "streams" ? "stream" : area}`;
}
