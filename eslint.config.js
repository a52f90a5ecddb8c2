// ESLint runs only Convex's own rules over convex/ (Biome lints and formats everything else).
import convexPlugin from "@convex-dev/eslint-plugin";
import tsParser from "@typescript-eslint/parser";

export default [
  { ignores: ["convex/_generated/**", "**/node_modules/**"] },
  ...convexPlugin.configs.recommended.map((c) => ({
    ...c,
    files: ["convex/**/*.ts"],
    languageOptions: { parser: tsParser, parserOptions: { projectService: true } },
  })),
  {
    files: ["convex/**/*.ts"],
    rules: {
      // A file without "use node" must not import one with it (Convex would bundle Node APIs).
      "@convex-dev/import-wrong-runtime": "error",
      "@convex-dev/no-filter-in-query": "error",
    },
  },
  {
    // Test files are not deployed; the auth config must read deployment env vars.
    files: ["convex/**/*.test.ts", "convex/auth.config.ts"],
    rules: { "@convex-dev/no-process-env": "off", "@convex-dev/require-args-validator": "off" },
  },
];
