// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layering: pure parts import no I/O; only the CLI writes to the console. */
const ioModules = [
  'node:fs',
  'node:fs/promises',
  'node:net',
  'node:tls',
  'node:http',
  'node:https',
  'node:dgram',
  'node:dns',
  'node:dns/promises',
  'node:child_process',
  'better-sqlite3',
  'kysely',
  'fastify',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.cache/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/domain/**', 'src/scheduler/plan*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ioModules, patterns: ['**/store/**', '**/api/**', '**/services/**'] },
      ],
    },
  },
  {
    files: ['src/cli/**', 'bench/**', 'test/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/*.itest.ts', 'test/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
