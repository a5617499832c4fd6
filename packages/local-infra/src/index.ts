export * from "./free-port";
export * from "./managed-process";
export * from "./redis-server";
export * from "./wait";
export * from "./node-server";
export * from "./haproxy";
export * from "./missing-tool";
export * from "./prerequisites";
