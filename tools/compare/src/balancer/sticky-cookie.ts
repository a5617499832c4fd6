// The cookie that pins a client to a server under the sticky policy: HAProxy's conventional name.
export const STICKY_COOKIE = "SERVERID";

/** A Cookie header without the cookie `name` (undefined when nothing is left). */
export function withoutCookie(header: string | undefined, name: string): string | undefined {
  const kept = header
    ?.split(";")
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith(`${name}=`));
  return kept && kept.length > 0 ? kept.join("; ") : undefined;
}
