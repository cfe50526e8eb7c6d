// ESLint for the web app: JavaScript and TypeScript recommendations, the rules of hooks,
// and the import boundaries of the layout (shared -> features -> app).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Imports are matched as written, so the `@/` alias needs no resolver. Relative imports
// that climb out of a folder are refused as well, so the boundaries cannot be walked around.
const parentRelative = { regex: '^\\.\\./', message: 'Import through the `@/` alias, not a relative path out of this folder.' };
const anyFeature = { regex: '^@/features(/|$)', message: 'Shared code (components, lib, types, config) must not depend on a feature.' };
const theApp = { regex: '^@/app(/|$)', message: 'Only the app composes routes; shared code and features must not import from `@/app`.' };
const featureInternals = (except) => ({
  regex: except ? `^@/features/(?!${except}/)[^/]+/` : '^@/features/[^/]+/',
  message: "Import another feature through its public entry (`@/features/<name>`, its index.ts), not its internals.",
});
const ownEntry = (feature) => ({
  regex: `^@/features/${feature}$`,
  message: `Inside ${feature}, import its modules directly: its own index.ts would make a cycle.`,
});
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default defineConfig(
  // The generated API types are checked by `npm run check:api` and the type-check instead.
  globalIgnores(['dist/', 'playwright-report/', 'test-results/', 'src/types/openapi.gen.ts']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
  },
  {
    // Build scripts, configs and the Playwright suite run in Node.
    files: ['*.{js,mjs,ts}', 'scripts/**/*.mjs', 'e2e/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  // Import boundaries. Each block replaces the rule's options for its files, so every
  // block lists all the patterns that apply there.
  { files: ['src/**/*.{ts,tsx}'], rules: restrict(parentRelative, featureInternals()) },
  { files: ['src/{components,lib,types,config}/**/*.{ts,tsx}'], rules: restrict(parentRelative, anyFeature, theApp) },
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    rules: restrict(parentRelative, theApp, featureInternals(feature), ownEntry(feature)),
  })),
);
