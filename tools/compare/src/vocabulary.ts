// The words every layer of the suite shares, and the dashboard page too: which apps, which
// journeys, which outcomes, which balancers and routings. Plain data and types: no Node import,
// so that the browser bundle may import this file.

/** The two architectures compared: every journey's expectations are about them. */
export const ARCHITECTURES = ["stateful", "stateless"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** The apps the suite runs: the two architectures, and the workshop's lab. */
export const APP_NAMES = [...ARCHITECTURES, "lab"] as const;
export type AppName = (typeof APP_NAMES)[number];

/** Whose expectations an app must meet: the lab's goal is to become stateless. */
export const JUDGED_AS: Record<AppName, Architecture> = {
  stateful: "stateful",
  stateless: "stateless",
  lab: "stateless",
};

export type Outcome = "pass" | "fail";

export const JOURNEY_NAMES = [
  "happy-path",
  "no-stickiness",
  "server-crash",
  "rolling-deploy",
  "scale-out",
  "concurrency",
  "logout-everywhere",
  "store-outage",
  "load-spread",
  "store-restart",
  "store-failover",
  "atm-different-answers",
  "atm-double-spend",
  "orders-outlive-everything",
  "avatar-upload",
  "avatar-after-replace",
  "kitchen-crash",
  "kitchen-scale-out",
  "kitchen-rolling-deploy",
  "chat-across-servers",
  "chat-presence",
  "chat-typing",
  "chat-server-crash",
  "chat-rolling-deploy",
  "chat-scale-out",
  "chaos",
  "brute-force",
] as const;
export type JourneyName = (typeof JOURNEY_NAMES)[number];

export type RoutingPolicy = "sticky" | "round-robin";

/** `builtin`: zero-install, in this process; `haproxy`: a real haproxy process from PATH. */
export const BALANCER_KINDS = ["builtin", "haproxy"] as const;
export type BalancerKind = (typeof BALANCER_KINDS)[number];

/** How each app is routed unless a journey asks otherwise: stateful servers need stickiness. */
export const DEFAULT_POLICY: Record<AppName, RoutingPolicy> = {
  stateful: "sticky",
  stateless: "round-robin",
  lab: "round-robin",
};
