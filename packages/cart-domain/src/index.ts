// The shared cart domain: no Express, no Redis.
export * from "./catalog";
export * from "./cart";
export * from "./errors";
export * from "./order";
export * from "./ports";
export * from "./pricing";
export * from "./users";
export * from "./validation";
