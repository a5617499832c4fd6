export * from "./redis-client";
