import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { IMPORTERS } from '../importers/registry.ts';
import { OPERATIONS } from '../operations/registry.ts';
import type { Output } from './output.ts';
import { buildProgram, LOCAL_COMMANDS } from './program.ts';

const silent: Output = {
  color: false,
  line: () => undefined,
  error: () => undefined,
  json: () => undefined,
};

/** Every command path of the tree that runs something (`monitor add`, `incidents`). */
function runnablePaths(command: Command, prefix: string[] = []): string[] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    // Commander keeps the action handler private; a command with its own action has listeners.
    const runs = (child as unknown as { _actionHandler: unknown })._actionHandler !== null;
    return [...(runs ? [path.join(' ')] : []), ...runnablePaths(child, path)];
  });
}

describe('the CLI command tree', () => {
  const program = buildProgram({ out: silent, env: {} });
  const paths = new Set(runnablePaths(program));

  it('has a command for every operation of the registry', () => {
    const missing = OPERATIONS.filter((op) => !paths.has(op.cli.join(' '))).map((op) => op.name);
    assert.deepEqual(missing, []);
  });

  it('has no command that is neither an operation nor one of the local commands', () => {
    const served = new Set(OPERATIONS.map((op) => op.cli.join(' ')));
    const extra = [...paths].filter((p) => !served.has(p) && !LOCAL_COMMANDS.includes(p));
    assert.deepEqual(extra, []);
  });

  it('lists local commands that exist', () => {
    for (const local of LOCAL_COMMANDS) assert.ok(paths.has(local), local);
  });

  it('has an import command for every importer', () => {
    for (const importer of IMPORTERS)
      assert.ok(paths.has(`import ${importer.name}`), importer.name);
  });
});
