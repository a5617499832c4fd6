// The shared cart domain, and the chat's: no Express, no WebSocket, no Redis, no PostgreSQL.
export * from "./avatar";
export * from "./catalog";
export * from "./chat";
export * from "./chat-service";
export * from "./cart";
export * from "./checkout";
export * from "./errors";
export * from "./kitchen";
export * from "./money";
export * from "./order";
export * from "./ports";
export * from "./pricing";
export * from "./store-deadline";
export * from "./store-timing";
export * from "./users";
export * from "./validation";
export * from "./wallet";
