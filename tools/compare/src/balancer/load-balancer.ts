// What the suite needs from a load balancer, so that a real one (HAProxy) can take the built-in
// one's place.
import type { RoutingPolicy } from "../vocabulary";

export interface Backend {
  readonly id: string;
  readonly url: string;
}

export interface LoadBalancer {
  /** Where clients send their requests. */
  readonly url: string;
  readonly policy: RoutingPolicy;
  /**
   * Turns stickiness off or on while running (the workshop's switch, and a journey that needs
   * round-robin). A client's SERVERID cookie is kept meanwhile: back on, it is pinned where it was.
   */
  setPolicy(policy: RoutingPolicy): Promise<void>;
  /**
   * Replaces the pool (an instance added or removed, say). Unknown ids join as healthy; ids left
   * out get no new requests.
   */
  setBackends(backends: readonly Backend[]): Promise<void>;
  /** The backends a new client may be sent to now: passing their health checks, not drained. */
  liveIds(): Promise<string[]>;
  /**
   * Takes a backend out of rotation (HAProxy's `maint` state) and resolves once no request to it
   * is in flight, as a deploy does before stopping a server.
   */
  drain(id: string): Promise<void>;
  /** Puts a drained backend back into rotation. */
  restore(id: string): Promise<void>;
  close(): Promise<void>;
}
