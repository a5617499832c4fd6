// What a journey may do to the servers behind the balancer, apart from shopping: a local stack
// can be faulted (kill, restart, scale-out, Redis); a stack given by URL can only be observed.
import type { StoreFailover } from "../../rig/shared-failover";

/** The part of a journey's context that acts on the servers and the store. */
export interface ServerControl {
  /** The servers behind the balancer: the local cluster's, or in URL mode those that answered so far. */
  instanceIds(): string[];
  /**
   * GET `path` with `headers` on every server: directly on each local instance, or in URL mode
   * through the balancer (without its sticky cookie) until the answers stop showing new servers.
   */
  askEveryInstance(path: string, headers: Record<string, string>): Promise<{ instance: string; status: number }[]>;
  /** The methods below need the local clusters (see `needsLocalClusters`). */
  instanceRunning(id: string): boolean;
  kill(id: string): Promise<void>;
  /** Starts a killed instance again on its port: the same server, with empty memory. */
  revive(id: string): Promise<void>;
  restart(id: string): Promise<void>;
  /** Replaces the server by a new machine (a new, empty disk) under the same name, as a deploy of cattle does. */
  replace(id: string): Promise<void>;
  addInstance(): Promise<string>;
  /** Freezes the private Redis (SIGSTOP) until `resumeStore`; resolves once it is frozen. */
  freezeStore(): Promise<void>;
  resumeStore(): void;
  /**
   * Restarts the private Redis (SIGTERM, same port and data; `empty`: its data lost, as a Redis
   * without persistence loses it); resolves once every instance is ready again.
   */
  restartStore(options?: { empty?: boolean }): Promise<void>;
  /** Restarts every server, one after another (drained), with `env` added to its environment: a configuration change rolled out. */
  reconfigure(env: Record<string, string>): Promise<void>;
  /**
   * With --store sentinel: kill -9 of the Redis primary (once for both apps); resolves once it is
   * dead. The killed server comes back as a replica once the Sentinels have promoted the other.
   */
  killStorePrimary(): Promise<StoreFailover>;
  /** With --store sentinel: resolves once the primary has a replica online with everything it wrote. */
  storeReplicated(): Promise<void>;
  /** With --store sentinel: what the Sentinels said lately (their log's notable lines). */
  sentinelEvents(): string[];
}

/** A ServerControl as run by the suite: finished once the journey is over. */
export interface Control extends ServerControl {
  /** After the journey, pass or fail: leaves the shared store fault and failover, releases the stack. */
  finish(): Promise<void>;
}
