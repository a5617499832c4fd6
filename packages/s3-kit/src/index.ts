export * from "./object-store";
export * from "./s3-client";
export * from "./s3-env";
export * from "./scratch-bucket";
