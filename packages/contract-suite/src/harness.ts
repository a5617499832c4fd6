import type { Express } from "express";

/** What the contract suite needs from an app: a way to create instances of it (which share whatever state store the app uses). */
export interface AppHarness {
  readonly name: "stateful" | "stateless";
  /** Whether login returns a bearer token besides setting the cookie. */
  readonly issuesTokens: boolean;
  instance(instanceId: string): Express;
}
