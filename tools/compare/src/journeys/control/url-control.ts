// A stack given by URL (`--stateful-url`, say: the Docker Compose stack): the suite sees only its
// balancer. Servers are known by the X-Served-By headers of their answers; nothing can be faulted.
import { STICKY_COOKIE, withoutCookie } from "../../balancer/sticky-cookie";
import type { Control } from "./control";

/** Enough tries for round-robin to reach every server of a small stack, and to notice stickiness. */
const PROBES = 12;

export function urlControl(balancerUrl: string, seenInstances: () => string[]): Control {
  const local = (): never => {
    throw new Error("this journey needs the local clusters");
  };
  return {
    instanceIds: seenInstances,
    // Without its sticky cookie, the balancer spreads the probes over its servers.
    askEveryInstance: async (path, { cookie, ...headers }) => {
      const unpinned = withoutCookie(cookie, STICKY_COOKIE);
      const answers = new Map<string, number>();
      for (let probe = 0; probe < PROBES; probe++) {
        const response = await fetch(`${balancerUrl}${path}`, {
          headers: { ...headers, ...(unpinned && { cookie: unpinned }) },
        });
        await response.body?.cancel();
        answers.set(response.headers.get("x-served-by") ?? "balancer", response.status);
      }
      return [...answers].map(([instance, status]) => ({ instance, status }));
    },
    instanceRunning: local,
    kill: local,
    revive: local,
    restart: local,
    replace: local,
    addInstance: local,
    freezeStore: local,
    resumeStore: local,
    restartStore: local,
    reconfigure: local,
    killStorePrimary: local,
    storeReplicated: local,
    sentinelEvents: local,
    finish: async () => {},
  };
}
