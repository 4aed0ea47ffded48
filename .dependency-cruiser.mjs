// Cycles between files and between folders fail `npm run lint` (docs/ARCHITECTURE.md, "Layers").
// Which layer may import which is checked by ESLint (`no-restricted-imports` in eslint.config.js);
// dependency-cruiser sees the whole graph, so it catches the cycles that per-file lint cannot.

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files must not import each other, directly or through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'Folders must not depend on each other both ways: the lower one would not be lower.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports count: a cycle of types is still two parts that cannot be told apart.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // Tests and test support (store/contract/ is the store's test suite) compose parts across
    // layers on purpose; they are not part of the layering.
    exclude: {
      path: [
        '^(node_modules|test|bench)/',
        '\\.(test|itest|e2e)\\.ts$',
        '\\.fixture\\.ts$',
        '/testing/',
        '^src/store/contract(/|\\.ts$)',
      ],
    },
  },
};
