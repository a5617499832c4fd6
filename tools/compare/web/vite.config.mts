// Builds the workshop's page into tools/compare/dist/web, where `pnpm workshop` serves it from.
// Everything is bundled: the page needs no network (no CDN, no web fonts).
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  logLevel: "warn",
  build: { outDir: "../dist/web", emptyOutDir: true, target: "es2022" },
});
