import type { Journey } from "./journey";
import { JourneyFailure } from "./steps";

const ATTEMPTS = 30;
/** The apps' default LOGIN_MAX_FAILURES: failed logins per username per minute. */
const LIMIT = 5;

export const bruteForce: Journey = {
  name: "brute-force",
  story:
    `an attacker tries ${ATTEMPTS} wrong passwords for alice, without cookies, so the balancer spreads them: ` +
    `do more than ${LIMIT} reach a password check?`,
  expected: { stateful: "fail", stateless: "pass" },
  // alice, and the client address all the journeys come from, for a minute.
  locksOutLogins: true,
  async run(context) {
    const checkedBy: Record<string, number> = {};
    let refused = 0;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // A new browser each time: no cookie, so no stickiness either.
      const attacker = context.shopper(`Mallory #${attempt}`);
      const reply = await attacker.send("POST", "/auth/login", { username: "alice", password: `guess-${attempt}` });
      if (reply.status === 401) checkedBy[reply.instance] = (checkedBy[reply.instance] ?? 0) + 1;
      else if (reply.status === 429) refused++;
      else {
        // What it was instead, in the answer's words (no answer: why, as fetch said it).
        const { code, message } = (reply.body?.error ?? {}) as { code?: string; message?: string };
        const said = code ? ` ${code}${message ? ` (${message})` : ""}` : "";
        throw new JourneyFailure(
          `attempt ${attempt} on ${reply.instance} → ${reply.status}${said}: expected 401 or 429`,
        );
      }
    }
    const checks = Object.values(checkedBy).reduce((sum, n) => sum + n, 0);
    context.note("passwordChecks", checks);
    context.note("passwordChecksPerInstance", checkedBy);
    context.note("refused", refused);
    if (checks > LIMIT) {
      const spread = Object.entries(checkedBy)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, n]) => `${id} ${n}`)
        .join(", ");
      throw new JourneyFailure(
        `${checks} of ${ATTEMPTS} wrong passwords reached a password check (limit ${LIMIT}: ${spread}): each ` +
          `server counts only the attempts it saw`,
      );
    }
  },
};
