// A bundle's source map cut down to our own files (sources outside node_modules), for Node to read
// at every start: with every library's mappings too, reading it is a large part of a start. A stretch
// of library code keeps one segment with no source, so that a position in it maps to nothing
// rather than to the last of our lines before it (a lookup takes the nearest mapping before).
import { decode, encode } from "@jridgewell/sourcemap-codec";

/** `map` (a parsed source map, version 3) with only our files' mappings and the names they use. */
export function ownSourceMap(map) {
  const sourceIndex = [];
  const sources = [];
  map.sources.forEach((source, i) => {
    sourceIndex[i] = source.includes("node_modules/") ? -1 : sources.push(source) - 1;
  });
  const isOurs = (segment) => segment.length > 1 && sourceIndex[segment[1]] >= 0;
  const nameIndex = new Map();
  const names = [];
  const ours = ([column, source, line, sourceColumn, name]) => {
    const segment = [column, sourceIndex[source], line, sourceColumn];
    if (name === undefined) return segment;
    if (!nameIndex.has(name)) nameIndex.set(name, names.push(map.names[name]) - 1);
    return [...segment, nameIndex.get(name)];
  };
  let inLibrary = false;
  const mappings = decode(map.mappings).map((line) =>
    line.flatMap((segment) => {
      if (isOurs(segment)) {
        inLibrary = false;
        return [ours(segment)];
      }
      // The first segment of a stretch of library code, as a segment with no source.
      if (inLibrary) return [];
      inLibrary = true;
      return [[segment[0]]];
    }),
  );
  return { ...map, sources, names, mappings: encode(mappings) };
}
