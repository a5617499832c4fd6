// Where one journey runs for one app: a local stack from the pool (with its control, and the
// bed's Redis to fault or fail over), a stack given by URL, or nowhere here, and why.
import { clusterControl } from "../journeys/control/cluster-control";
import type { Control } from "../journeys/control/control";
import { urlControl } from "../journeys/control/url-control";
import type { Journey } from "../journeys/journey";
import { journeyPolicy } from "../journeys/run-journey";
import type { Step } from "../journeys/steps";
import { liftLoginLockout } from "../rig/login-lockout";
import type { SharedFailover } from "../rig/shared-failover";
import type { SharedStoreFault } from "../rig/shared-store-fault";
import type { StackPool } from "../rig/stack-pool";
import type { BedStore, TestBed } from "../rig/test-bed";
import type { AppName } from "../vocabulary";

export const NEEDS_LOCAL_CLUSTERS =
  "needs the local clusters (it kills, restarts or adds servers, faults Redis or changes the routing): leave out " +
  "--stateful-url/--stateless-url";
const NEEDS_PRIVATE_REDIS = "needs the suite's own Redis (unset REDIS_URL)";
const NEEDS_ONE_REDIS = "freezes or restarts a single Redis: run it without --store sentinel";
export const NEEDS_SENTINEL = "needs a Redis primary, a replica and three Sentinels: add --store sentinel";

/** Where one journey runs for one app: a balancer to shop at and a control, or why it cannot run here. */
export type Venue =
  | { readonly lb: string; readonly skip: string }
  | {
      readonly lb: string;
      readonly balancerUrl: string;
      readonly control: Control;
      readonly onStep?: (step: Step) => void;
    };

export async function localVenue(
  journey: Journey,
  app: AppName,
  rig: {
    bed: TestBed;
    /** The lane's Redis. */
    store: BedStore;
    pool: StackPool;
    storeFault: SharedStoreFault | undefined;
    storeFailover: SharedFailover | undefined;
    onFault: (fault: string) => void;
  },
): Promise<Venue> {
  const policy = journeyPolicy(journey, app);
  const lb = `${rig.bed.lb} ${policy}`;
  const skip = skipReason(journey, rig);
  if (skip) {
    rig.storeFailover?.leave();
    return { lb, skip };
  }
  const stack = await rig.pool.acquire(app, policy);
  const control = clusterControl({
    stack,
    storeFault: rig.storeFault,
    storeFailover: rig.storeFailover,
    fault: rig.onFault,
    release: async (reconfigured) => {
      // The lane's Redis outlives the journey: the next run there (a REDIS_URL given), or the next
      // pass (--store-rtt runs the journeys twice), must not find alice locked out. Only the app
      // that counts there lifts it, once its own journey is over (a Sentinel group is the lane's
      // own, and the lock-outs run last in a lane).
      if (journey.locksOutLogins && app !== "stateful" && !rig.store.sentinel) await liftLoginLockout(rig.store.url);
      await rig.pool.release(stack, { reusable: !journey.locksOutLogins && !reconfigured });
    },
  });
  return { lb, balancerUrl: stack.balancer.url, control };
}

/** Why a journey cannot run on this bed's Redis, if it cannot. */
function skipReason(
  journey: Journey,
  {
    storeFault,
    storeFailover,
  }: { storeFault: SharedStoreFault | undefined; storeFailover: SharedFailover | undefined },
): string | undefined {
  if (journey.needsSentinel && !storeFailover) return NEEDS_SENTINEL;
  if (journey.needsPrivateRedis && !storeFault) return storeFailover ? NEEDS_ONE_REDIS : NEEDS_PRIVATE_REDIS;
  return undefined;
}

/**
 * `named`: whether the user asked for this journey by name (--journey); a journey that locks a
 * user out of a stack runs against someone's own stack only then.
 */
export function urlVenue(journey: Journey, url: string, named: boolean): Venue {
  const lb = `given by URL (${url})`;
  if (journey.needsLocalClusters) return { lb, skip: NEEDS_LOCAL_CLUSTERS };
  if (journey.locksOutLogins && !named)
    return {
      lb,
      skip:
        "locks alice out of this stack's logins for a minute: against a stack given by URL it runs only when asked " +
        `for, with --journey ${journey.name}`,
    };
  // The servers behind it are known only by the X-Served-By of the answers so far.
  const served = new Set<string>();
  return {
    lb,
    balancerUrl: url,
    control: urlControl(url, () => [...served]),
    onStep: ({ instance }) => void (instance !== "balancer" && served.add(instance)),
  };
}
