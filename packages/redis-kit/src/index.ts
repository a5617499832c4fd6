export * from "./redis-client";
export * from "./rate-limit-store";
export * from "./redis-url";
export * from "./pub-sub";
export * from "./replicated";
export * from "./session-store";
