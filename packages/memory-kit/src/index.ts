export * from "./memory-jobs";
export * from "./memory-sessions";
