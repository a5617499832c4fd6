// Tests that need an optional program (haproxy, Chromium). On a machine without it they are
// skipped, each by name with the reason, and the rest still run; with CI=true they run (and
// fail), so CI can never go green by skipping.
import { inCi, missingOptional, type PrerequisiteName } from "@cart/local-infra";

const cache = new Map<PrerequisiteName, string | undefined>();

/** Why the tests that need `name` are skipped here, or undefined when they run. */
export function skipReason(name: PrerequisiteName): string | undefined {
  if (inCi()) return undefined;
  if (!cache.has(name)) cache.set(name, missingOptional([name])[0]?.why);
  const why = cache.get(name);
  return why && `${why}; pnpm preflight says how to install it`;
}

/** `describe`, skipped with the reason when `name` is given and missing on this machine. */
export function describeNeeding(name: PrerequisiteName | undefined, title: string, body: () => void): void {
  const why = name && skipReason(name);
  if (why) describe.skip(`${title} [skipped: ${why}]`, body);
  else describe(title, body);
}
