// Server-Timing on every answer (a standard header, shown by browsers' developer tools): how long
// the request spent in each store it used, how many operations, the round trips it waited for one
// after another (what a store's distance multiplies), and how long it took in all, e.g.
//   Server-Timing: redis;dur=0.41;desc="2 operations", postgres;dur=1.20;desc="1 operation",
//                  round-trips;desc="3 in sequence", total;dur=3.02
// The adapters record their operations (@cart/domain's store timing); this writes them down just
// before the headers go out, whatever sends them.
import { withStoreTimings, type StoreUse } from "@cart/domain";
import type { RequestHandler } from "express";
import onHeaders from "on-headers";

export const serverTiming: RequestHandler = (_req, res, next) => {
  const started = performance.now();
  withStoreTimings((uses, inSequence) => {
    onHeaders(res, () => {
      const trips = `round-trips;desc="${inSequence()} in sequence"`;
      const total = `total;dur=${(performance.now() - started).toFixed(2)}`;
      res.setHeader("Server-Timing", [...uses().map(describeUse), trips, total].join(", "));
    });
    next();
  });
};

function describeUse({ store, operations, ms }: StoreUse): string {
  return `${store};dur=${ms.toFixed(2)};desc="${operations} operation${operations === 1 ? "" : "s"}"`;
}

/** A store as a Server-Timing header names it (any name: the reader does not vouch for the writer). */
export interface StoreTiming {
  readonly store: string;
  readonly ms: number;
  readonly operations: number;
}

/** A Server-Timing header as these apps write it, read back: the stores, the round trips, and the total. */
export interface ServerTiming {
  readonly stores: StoreTiming[];
  /** The `round-trips` entry: store round trips made one after another (0: none; undefined without one). */
  readonly roundTripsInSequence: number | undefined;
  /** The `total` entry; undefined without one. */
  readonly totalMs: number | undefined;
}

/** Reads a Server-Timing header (enough of its grammar for what these apps write); nothing without one. */
export function readServerTiming(header: string | null | undefined): ServerTiming {
  const stores: StoreTiming[] = [];
  let totalMs: number | undefined;
  let roundTripsInSequence: number | undefined;
  for (const entry of header ? header.split(/,\s*/) : []) {
    const [name = "", ...params] = entry.trim().split(";");
    const value = (key: string) => params.find((param) => param.startsWith(`${key}=`))?.slice(key.length + 1);
    const ms = Number(value("dur") ?? 0);
    const operations = Number(/^"(\d+) operations?"$/.exec(value("desc") ?? "")?.[1] ?? 0);
    if (name === "total") totalMs = ms;
    else if (name === "round-trips") {
      const count = /^"(\d+) in sequence"$/.exec(value("desc") ?? "")?.[1];
      roundTripsInSequence = count === undefined ? undefined : Number(count);
    } else stores.push({ store: name, ms, operations });
  }
  return { stores, roundTripsInSequence, totalMs };
}
