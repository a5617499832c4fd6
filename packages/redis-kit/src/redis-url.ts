// Where an app that keeps its state in Redis finds it, as one configuration variable: a Redis of
// its own (`redis://host:port`), or a primary found through Sentinel, named as Lettuce and others
// name it (`redis-sentinel://host:port,host:port#name`): the Sentinels to ask, and the name of the
// primary they watch.
import { z } from "zod";

export interface SentinelLocation {
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  /** The name the Sentinels know the primary by (`sentinel monitor <name> …`). */
  readonly name: string;
}

const SENTINEL_URL = /^redis-sentinel:\/\/([^/#\s]+)#([\w.-]+)$/;
const HOST_PORT = /^([\w.-]+|\[[\da-f:]+\]):(\d{1,5})$/i;

/** The Sentinels and the primary's name in a `redis-sentinel://` URL; undefined for any other URL. */
export function sentinelLocation(url: string): SentinelLocation | undefined {
  const match = SENTINEL_URL.exec(url);
  if (!match) return undefined;
  const sentinels = match[1]!.split(",").map((address) => {
    const [, host, port] = HOST_PORT.exec(address) ?? [];
    return host && Number(port) > 0 && Number(port) < 65536 ? { host, port: Number(port) } : undefined;
  });
  if (sentinels.some((sentinel) => !sentinel)) return undefined;
  return { sentinels: sentinels as SentinelLocation["sentinels"], name: match[2]! };
}

/** `redis://host:port` (or `rediss://` for TLS), or `redis-sentinel://host:port,host:port#name`; required. */
export const redisUrl = (name: string) =>
  z
    .string({ message: `${name} is required, e.g. redis://127.0.0.1:6379` })
    .refine(
      (url) => /^rediss?:\/\/\S+$/.test(url) || sentinelLocation(url) !== undefined,
      `${name} must look like redis://host:port, or redis-sentinel://host:port,host:port#primary-name`,
    )
    .describe("e.g. `redis://127.0.0.1:6379`; through Sentinel: `redis-sentinel://host:26379,host:26379#name`");
