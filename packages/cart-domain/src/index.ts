// The shared cart domain, and the chat's: no Express, no WebSocket, no Redis.
export * from "./catalog";
export * from "./chat";
export * from "./chat-service";
export * from "./cart";
export * from "./errors";
export * from "./order";
export * from "./ports";
export * from "./pricing";
export * from "./store-deadline";
export * from "./users";
export * from "./validation";
