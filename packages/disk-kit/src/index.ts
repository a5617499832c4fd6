export * from "./disk-files";
export * from "./directory-env";
