// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Modules that reach outside the process (files, sockets, databases, log sinks). Pure code —
 * decision logic that takes inputs and a clock — imports none of them, so it stays table- and
 * property-testable. Both the `node:` and the bare spelling are listed.
 */
const nodeIo = [
  'fs',
  'fs/promises',
  'net',
  'tls',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'dns/promises',
  'child_process',
  'cluster',
  'worker_threads',
  'readline',
];
const ioModules = [
  ...nodeIo.flatMap((name) => [`node:${name}`, name]),
  'better-sqlite3',
  'kysely',
  'pg',
  'fastify',
  '@fastify/cookie',
  'undici',
  'ws',
  'pino',
  'pino-pretty',
  'prom-client',
  '@modelcontextprotocol/sdk',
];

/** Top-level folders of src/, each one part (docs/ARCHITECTURE.md, "Layers"). */
const TRANSPORTS = ['api', 'cli', 'mcp'];
const RUNTIME = ['agent', 'alerts', 'checks', 'cluster', 'config', 'observability', 'scheduler'];

/**
 * An import of another top-level folder of src/, by relative path. Only `../` paths can leave a
 * folder, so `./cluster/x.ts` inside services/ is not src/cluster/. `except` keeps the pure
 * files of an otherwise impure folder importable (e.g. alerts/policy.ts).
 */
/**
 * @param {string} name
 * @param {string} [except]
 */
function folder(name, except = '') {
  const exception = except === '' ? '' : `(?!${except})`;
  return `^(\\.\\./)+${name}/${exception}`;
}

/** The pure files of impure folders: importable from the pure core. */
const PURE_IN = {
  alerts: 'policy\\.ts$',
  checks: 'types\\.ts$',
  cluster: '(assignment|membership|lease/lease-(decision|settings))\\.ts$',
  scheduler: 'plan\\.ts$',
};
const storeBackends = '^(\\.\\./)+store/(sqlite|postgres|sql|migrations)/';

/** @typedef {{ layer: string, files: string[], io: boolean, forbidden: string[] }} Layer */

/**
 * The layers: what each group of files must not import. Later rows win where globs overlap (so
 * the pure files of impure folders come after their folder).
 */
/** @type {Layer[]} */
const LAYERS = [
  {
    layer: 'transport: api',
    files: ['src/api/**'],
    io: true,
    forbidden: ['cli', 'mcp', 'app'].map((name) => folder(name)).concat(storeBackends),
  },
  {
    // The CLI is also the bin entry, so it may start the node (app/) and the MCP stdio server
    // (mcp/stdio.ts) — but not reach into the HTTP server or the store's backends.
    layer: 'transport: cli',
    files: ['src/cli/**'],
    io: true,
    forbidden: [folder('api'), folder('mcp', 'stdio\\.ts$'), storeBackends],
  },
  {
    layer: 'transport: mcp',
    files: ['src/mcp/**'],
    io: true,
    forbidden: ['api', 'cli', 'app'].map((name) => folder(name)).concat(storeBackends),
  },
  {
    layer: 'operations',
    files: ['src/operations/**'],
    io: true,
    forbidden: [...TRANSPORTS, 'app'].map((name) => folder(name)).concat(storeBackends),
  },
  {
    layer: 'services',
    files: ['src/services/**'],
    io: true,
    forbidden: [...TRANSPORTS, 'app', 'operations']
      .map((name) => folder(name))
      .concat(storeBackends),
  },
  {
    // Config as code: a pure core (parse, validate with the services' input schemas, plan,
    // export) and `config-service.ts` over the store interface. Outside services/ because it
    // builds on the services' input schemas, which services/ itself sits above.
    layer: 'config file',
    files: ['src/config-file/**'],
    io: false,
    forbidden: [...TRANSPORTS, 'app', 'operations', 'cluster', 'agent', 'config']
      .map((name) => folder(name))
      .concat(
        folder(
          'services',
          '(monitors/monitor-input|alert-targets/target-input|maintenance-input|status-pages/status-page-input)\\.ts$',
        ),
        storeBackends,
      ),
  },
  {
    // Importers read another tool's files at the edge and map them purely onto the services'
    // input schemas; the CLI applies the plan through the operations.
    layer: 'importers',
    files: ['src/importers/**'],
    io: true,
    forbidden: [...TRANSPORTS, 'app', 'operations']
      .map((name) => folder(name))
      .concat(storeBackends),
  },
  {
    layer: 'runtime parts',
    files: RUNTIME.map((name) => `src/${name}/**`),
    io: true,
    forbidden: [...TRANSPORTS, 'app', 'operations', 'services'].map((name) => folder(name)),
  },
  {
    // Checks and config sit just above the core: the store, alerts and cluster build on them.
    layer: 'checks and config',
    files: ['src/checks/**', 'src/config/**'],
    io: true,
    forbidden: [...TRANSPORTS, 'app', 'operations', 'services', 'cluster', 'agent', 'alerts']
      .map((name) => folder(name))
      .concat(['scheduler', 'consensus'].map((name) => folder(name))),
  },
  {
    layer: 'store',
    files: ['src/store/**'],
    io: true,
    forbidden: [
      ...[...TRANSPORTS, 'app', 'operations', 'services', 'agent', 'config', 'observability'].map(
        (name) => folder(name),
      ),
      ...Object.entries(PURE_IN).map(([name, pure]) => folder(name, pure)),
    ],
  },
  {
    layer: 'pure core',
    files: [
      'src/consensus/**',
      'src/maintenance/**',
      'src/scheduler/plan*.ts',
      'src/alerts/policy*.ts',
      'src/checks/types.ts',
      'src/cluster/assignment*.ts',
      'src/cluster/membership*.ts',
      'src/cluster/lease/lease-decision*.ts',
      'src/cluster/lease/lease-settings*.ts',
      'src/store/raw-window-budget*.ts',
    ],
    io: false,
    forbidden: [
      ...[
        ...TRANSPORTS,
        'app',
        'operations',
        'services',
        'store',
        'agent',
        'config',
        'observability',
      ].map((name) => folder(name)),
      ...Object.entries(PURE_IN).map(([name, pure]) => folder(name, pure)),
    ],
  },
  {
    // The bottom: domain types import only each other and lib/, lib/ only itself.
    layer: 'pure core: domain',
    files: ['src/domain/**'],
    io: false,
    forbidden: [folder('(?!domain/|lib/)[^./][^/]*')],
  },
  {
    layer: 'pure core: lib',
    files: ['src/lib/**'],
    io: false,
    forbidden: [folder('(?!lib/)[^./][^/]*')],
  },
];

/** One flat-config entry per layer: its forbidden folders as `no-restricted-imports` patterns. */
function layerRules() {
  return LAYERS.map(({ layer, files, io, forbidden }) => ({
    files,
    // Integration tests compose real parts across layers on purpose.
    ignores: ['**/*.itest.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: io ? [] : ioModules.map((name) => ({ name, message: `${layer} does no I/O.` })),
          patterns: forbidden.map((regex) => ({
            regex,
            message: `${layer} must not import this layer (docs/ARCHITECTURE.md, "Layers").`,
          })),
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.cache/**', 'bench/results/**', 'dist/**'] },
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
  ...layerRules(),
  {
    files: ['src/cli/**', 'bench/**', 'test/**', 'scripts/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Contract suites in src/alerts/testing/ call node:test's describe/it like test files do.
    files: ['**/*.test.ts', '**/*.itest.ts', 'test/**', 'src/alerts/testing/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    // The public status page's one script runs in visitors' browsers, not in Node.
    files: ['src/status-pages/assets/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['document', 'location', 'fetch', 'DOMParser', 'setInterval'].map((name) => [
          name,
          'readonly',
        ]),
      ),
    },
  },
);
