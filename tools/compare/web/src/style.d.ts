// The page's stylesheet, imported for Vite to bundle: TypeScript needs only to know it is there.
declare module "*.css";
