export * from "./background-database";
export * from "./database-url";
export * from "./migrations";
export * from "./pg-pool";
export * from "./scratch-database";
