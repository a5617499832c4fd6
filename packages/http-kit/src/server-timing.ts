// Server-Timing on every answer (a standard header, shown by browsers' developer tools): how long
// the request spent in each store it used, how many operations, and how long it took in all, e.g.
//   Server-Timing: redis;dur=0.41;desc="2 operations", postgres;dur=1.20;desc="1 operation", total;dur=3.02
// The adapters record their operations (@cart/domain's store timing); this writes them down just
// before the headers go out, whatever sends them.
import { withStoreTimings, type StoreUse } from "@cart/domain";
import type { RequestHandler } from "express";
import onHeaders from "on-headers";

export const serverTiming: RequestHandler = (_req, res, next) => {
  const started = performance.now();
  withStoreTimings((uses) => {
    onHeaders(res, () => {
      const total = `total;dur=${(performance.now() - started).toFixed(2)}`;
      res.setHeader("Server-Timing", [...uses().map(describeUse), total].join(", "));
    });
    next();
  });
};

function describeUse({ store, operations, ms }: StoreUse): string {
  return `${store};dur=${ms.toFixed(2)};desc="${operations} operation${operations === 1 ? "" : "s"}"`;
}

/** One entry of a Server-Timing header as these apps write it: a store (or `total`), its time, its operations. */
export interface ServerTimingEntry {
  readonly name: string;
  readonly ms: number;
  /** From `desc="N operations"`; absent for `total`. */
  readonly operations?: number;
}

/** The entries of a Server-Timing header (enough of its grammar for what these apps write); none without one. */
export function parseServerTiming(header: string | null | undefined): ServerTimingEntry[] {
  if (!header) return [];
  return header.split(/,\s*/).map((entry) => {
    const [name = "", ...params] = entry.trim().split(";");
    const value = (key: string) => params.find((param) => param.startsWith(`${key}=`))?.slice(key.length + 1);
    const operations = /^"(\d+) operations?"$/.exec(value("desc") ?? "")?.[1];
    return { name, ms: Number(value("dur") ?? 0), ...(operations !== undefined && { operations: Number(operations) }) };
  });
}
