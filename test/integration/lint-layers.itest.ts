import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cruise } from 'dependency-cruiser';
import type { IConfiguration, ICruiseResult } from 'dependency-cruiser';
import { ESLint } from 'eslint';

// The layering is only real if a forbidden import fails `npm run lint`: these tests lint
// snippets as if they lived in each layer (eslint.config.js) and cruise fixtures with cycles
// (.dependency-cruiser.mjs).

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The project's ESLint config, narrowed to the layering rule (type-aware parsing is not needed). */
const eslint = new ESLint({
  cwd: ROOT,
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: null } },
  },
});

/** The messages of the layering rule for `code` placed at `filePath`. */
async function layerViolations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  assert.ok(result, 'ESLint returned no result');
  const fatal = result.messages.filter((message) => message.fatal === true);
  assert.deepEqual(fatal, [], 'the snippet must parse');
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('layering lint (eslint.config.js)', () => {
  const forbidden: [file: string, code: string][] = [
    ['src/domain/x.ts', "import fs from 'node:fs';"],
    ['src/domain/x.ts', "import type { Store } from '../store/types.ts';"],
    ['src/domain/x.ts', "import type { CheckDefinition } from '../checks/types.ts';"],
    ['src/consensus/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src/consensus/x.ts', "import type { Store } from '../store/types.ts';"],
    ['src/consensus/x.ts', "import pino from 'pino';"],
    ['src/maintenance/x.ts', "import type { Store } from '../store/types.ts';"],
    ['src/lib/x.ts', "import type { Monitor } from '../domain/monitor.ts';"],
    ['src/services/x.ts', "import { startApiServer } from '../api/server.ts';"],
    ['src/services/monitors/x.ts', "import { program } from '../../cli/program.ts';"],
    [
      'src/services/x.ts',
      "import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';",
    ],
    ['src/store/x.ts', "import { MonitorService } from '../services/monitors/monitor-service.ts';"],
    ['src/store/sql/x.ts', "import { OPERATIONS } from '../../operations/registry.ts';"],
    ['src/operations/x.ts', "import { buildServer } from '../api/server.ts';"],
    [
      'src/cluster/coordinator/x.ts',
      "import { createMonitorChangeBus } from '../../services/events.ts';",
    ],
    ['src/config/x.ts', "import { canaryName } from '../cluster/vantage/canaries.ts';"],
    ['src/cli/commands/x.ts', "import { buildServer } from '../../api/server.ts';"],
    ['src/api/x.ts', "import { program } from '../cli/program.ts';"],
    ['src/api/x.ts', "import { mcpServerFactory } from '../mcp/server.ts';"],
    ['src/mcp/x.ts', "import { buildApiServer } from '../api/server.ts';"],
    ['src/cli/commands/x.ts', "import { describeTools } from '../../mcp/tools.ts';"],
  ];
  for (const [file, code] of forbidden) {
    it(`rejects in ${file}: ${code}`, async () => {
      const messages = await layerViolations(file, code);
      assert.equal(messages.length, 1, `expected one violation, got ${JSON.stringify(messages)}`);
    });
  }

  const allowed: [file: string, code: string][] = [
    [
      'src/domain/x.ts',
      "import type { Monitor } from './monitor.ts';\nimport { AppError } from '../lib/errors.ts';",
    ],
    ['src/consensus/x.ts', "import { decideFollowUp } from '../alerts/policy.ts';"],
    ['src/consensus/x.ts', "import type { Vote } from '../domain/consensus.ts';"],
    ['src/services/x.ts', "import type { Store } from '../store/types.ts';"],
    ['src/services/x.ts', "import { selectorMatches } from '../cluster/assignment.ts';"],
    ['src/services/cluster/x.ts', "import { createJoinToken } from '../../cluster/join-token.ts';"],
    ['src/store/x.ts', "import type { Monitor } from '../domain/monitor.ts';"],
    ['src/api/x.ts', "import { OPERATIONS } from '../operations/registry.ts';"],
    ['src/app/x.ts', "import { buildServer } from '../api/server.ts';\nimport fs from 'node:fs';"],
    ['src/cli/commands/x.ts', "import { startNode } from '../../app/node.ts';"],
    ['src/cli/commands/x.ts', "import { serveStdio } from '../../mcp/stdio.ts';"],
  ];
  for (const [file, code] of allowed) {
    it(`allows in ${file}: ${code.replaceAll('\n', ' ')}`, async () => {
      assert.deepEqual(await layerViolations(file, code), []);
    });
  }
});

const depcruiseConfig = (
  (await import(path.join(ROOT, '.dependency-cruiser.mjs'))) as { default: IConfiguration }
).default;

/** Cruises `files` under `baseDir` with the project's rules; returns the rule names violated. */
async function cruiseViolations(baseDir: string, files: string[]): Promise<string[]> {
  const output = await cruise(files, {
    ...depcruiseConfig.options,
    baseDir,
    validate: true,
    ruleSet: { forbidden: depcruiseConfig.forbidden ?? [] },
  });
  const result = output.output as ICruiseResult;
  return result.summary.violations.map((violation) => violation.rule.name);
}

describe('cycle check (.dependency-cruiser.mjs)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-cycles-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes a fixture tree: file path → source. */
  function writeTree(root: string, files: Record<string, string>): void {
    for (const [file, source] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), source);
    }
  }

  it('reports two files importing each other', async () => {
    const root = path.join(dir, 'files');
    writeTree(root, {
      'src/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'src/b.ts':
        "import type { a } from './a.ts';\nexport const b = 1;\nexport type A = typeof a;\n",
    });
    const violations = await cruiseViolations(root, ['src']);
    assert.ok(violations.includes('no-circular'), JSON.stringify(violations));
  });

  it('reports two folders depending on each other without a file cycle', async () => {
    const root = path.join(dir, 'folders');
    writeTree(root, {
      'src/low/a.ts': "import { b } from '../high/b.ts';\nexport const a = b;\n",
      'src/high/b.ts': 'export const b = 1;\n',
      'src/high/c.ts': "import { a } from '../low/a.ts';\nexport const c = a;\n",
    });
    const violations = await cruiseViolations(root, ['src']);
    assert.deepEqual([...new Set(violations)], ['no-circular-folders']);
  });

  it('finds no cycle in a tree that only imports downwards', async () => {
    const root = path.join(dir, 'acyclic');
    writeTree(root, {
      'src/low/a.ts': 'export const a = 1;\n',
      'src/high/b.ts': "import { a } from '../low/a.ts';\nexport const b = a;\n",
    });
    assert.deepEqual(await cruiseViolations(root, ['src']), []);
  });

  it('finds no cycle in src/', async () => {
    assert.deepEqual(await cruiseViolations(ROOT, ['src']), []);
  });
});
