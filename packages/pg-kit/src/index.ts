export * from "./background-database";
export * from "./database-url";
export * from "./domain-rows";
export * from "./job-queue";
export * from "./job-workers";
export * from "./migrations";
export * from "./pg-pool";
export * from "./scratch-database";
