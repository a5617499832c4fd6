export * from "./contract";
export * from "./expectations";
export * from "./harness";
export * from "./client";
export * from "./login-limits-contract";
export * from "./model-contract";
export * from "./raw-http";
