// What a journey may do to the servers behind the balancer, apart from shopping: a local stack
// can be faulted (kill, restart, scale-out, Redis); a stack given by URL can only be observed.
import type { JourneyContext } from "../journey";

export type Control = Pick<
  JourneyContext,
  | "instanceIds"
  | "askEveryInstance"
  | "instanceRunning"
  | "kill"
  | "revive"
  | "restart"
  | "addInstance"
  | "freezeStore"
  | "resumeStore"
  | "restartStore"
> & {
  /** After the journey, pass or fail: leaves the shared store fault, releases the stack. */
  finish(): Promise<void>;
};
