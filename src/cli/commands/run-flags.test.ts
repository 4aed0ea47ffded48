import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import type { Output } from '../output.ts';
import { buildProgram } from '../program.ts';
import {
  addNodeFlags,
  CONFIG_FILE_FLAGS,
  coordinatorOnlyEnvSet,
  coordinatorOnlyFlagsGiven,
  RUN_FLAGS,
} from './run-flags.ts';

const silent: Output = {
  color: false,
  line: () => undefined,
  error: () => undefined,
  json: () => undefined,
};

/** A command with the run flags and no action, parsed from `args`. */
function parsed(args: string[]): Command {
  const command = addNodeFlags(new Command('agent').exitOverride(), RUN_FLAGS);
  command.parse(args, { from: 'user' });
  return command;
}

const longName = (flags: string) => flags.split(' ')[0] ?? flags;

describe('run flags', () => {
  it('tells coordinator-only flags given on the command line, in definition order', () => {
    assert.deepEqual(
      coordinatorOnlyFlagsGiven(
        parsed(['--public-url', 'https://x.test', '--concurrency', '4', '--listen', '0.0.0.0:1']),
      ),
      ['--listen', '--public-url'],
    );
    assert.deepEqual(coordinatorOnlyFlagsGiven(parsed(['--outbox-max', '5000'])), []);
  });

  it('tells the environment variables of coordinator-only settings, nothing else', () => {
    assert.deepEqual(
      coordinatorOnlyEnvSet({
        CROSSCHECK_STORAGE_BUDGET: '20GB',
        CROSSCHECK_CONCURRENCY: '4',
        CROSSCHECK_PUBLIC_URL: 'https://x.test',
        CROSSCHECK_GRACE_COUNT: '3',
      }),
      ['CROSSCHECK_STORAGE_BUDGET', 'CROSSCHECK_PUBLIC_URL'],
    );
  });

  it('lists the run flags in the help of `start` and `agent`, `--config` on `start` only', () => {
    const program = buildProgram({ out: silent, env: {} });
    const help = (name: string) =>
      program.commands.find((command) => command.name() === name)?.helpInformation() ?? '';
    const start = help('start');
    const agent = help('agent');
    for (const flag of RUN_FLAGS) {
      const long = longName(flag.flags);
      assert.ok(start.includes(long) && agent.includes(long), long);
    }
    for (const flag of CONFIG_FILE_FLAGS) {
      const long = longName(flag.flags);
      assert.ok(start.includes(`${long} `) && !agent.includes(`${long} `), long);
    }
  });
});
