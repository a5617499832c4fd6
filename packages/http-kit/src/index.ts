// The HTTP contract both apps serve, and the plumbing they share. The stateless app's JWTs are
// `@cart/http-kit/jwt-tokens`: the stateful app does not load a JWT library it never uses.
export * from "./app-server";
export * from "./avatar-routes";
export * from "./chat-connections";
export * from "./chat-routes";
export * from "./http-server";
export * from "./create-shop-app";
export * from "./credentials";
export * from "./env";
export * from "./error-codes";
export * from "./error-handler";
export * from "./http-error";
export * from "./identity";
export * from "./json-body";
export * from "./parse-input";
export * from "./run-server";
export * from "./login-limits";
export * from "./logger";
export * from "./same-origin";
export * from "./server-timing";
