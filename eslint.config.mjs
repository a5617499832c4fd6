import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // apps/lab/src and attempts: the workshop attendees' work in progress (pnpm lab:reset). The
  // state audit's fixtures: apps written as tutorials write them, findings on purpose.
  {
    ignores: [
      "packages/eslint-plugin-stateless/test/fixtures/**",
      "**/dist/**",
      "**/node_modules/**",
      "reports/**",
      "coverage/**",
      "apps/lab/src/**",
      "apps/lab/attempts/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { module: "writable", require: "readonly", __dirname: "readonly", process: "readonly" },
    },
    // CommonJS files load modules with require(), the only way they have.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs", "scripts/**"],
    languageOptions: { globals: { process: "readonly", console: "readonly", Response: "readonly" } },
  },
);
