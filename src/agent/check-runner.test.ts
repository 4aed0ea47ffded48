import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyNetworkError, downResult } from '../checks/outcome.ts';
import { getCheck } from '../checks/registry.ts';
import { silentLogger } from '../observability/logger.ts';
import { createCheckRunner } from './check-runner.ts';

const spec = { type: 'tcp', target: '127.0.0.1:9', options: {}, timeoutMs: 1_000 } as const;
const emfile = () => Object.assign(new Error('connect EMFILE'), { code: 'EMFILE' });

/** A runner whose tcp check does what `run` says, without touching the network. */
const runnerWith = (run: () => Promise<never> | ReturnType<typeof downResult>) =>
  createCheckRunner((type) => ({ ...getCheck(type), run: () => Promise.resolve().then(run) }));

describe('check runner: node-side errnos from any check', () => {
  it('a check that reports EMFILE through the errno map gives an error of this node', async () => {
    const result = await runnerWith(() => {
      const { kind, message } = classifyNetworkError(emfile());
      return downResult(kind, 1, message);
    })(spec);
    assert.deepEqual(
      [result.status, result.errorKind, result.message],
      ['error', 'node', 'too many open files on this node (EMFILE)'],
    );
  });

  it('a check that throws EMFILE gives an error of this node, not down', async () => {
    const result = await runnerWith(() => Promise.reject(emfile()))(spec, {
      logger: silentLogger(),
    });
    assert.deepEqual([result.status, result.errorKind], ['error', 'node']);
  });

  it('a check that throws anything else is still down', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const result = await runnerWith(() => Promise.reject(refused))(spec, {
      logger: silentLogger(),
    });
    assert.deepEqual([result.status, result.errorKind], ['down', 'refused']);
  });

  it('a check that ignores its signal is stopped after the timeout and its grace', async () => {
    const runner = createCheckRunner((type) => ({
      ...getCheck(type),
      run: () => new Promise<never>(() => {}),
    }));
    const result = await runner({ ...spec, timeoutMs: 20 });
    assert.deepEqual(
      [result.status, result.errorKind, result.message],
      ['down', 'timeout', 'timed out after 20 ms'],
    );
  });

  it("the caller's signal aborts the check's own signal with the same reason", async () => {
    const outer = new AbortController();
    const seen: unknown[] = [];
    const runner = createCheckRunner((type) => ({
      ...getCheck(type),
      run: (_target, _options, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            seen.push(ctx.signal.reason);
            resolve(downResult('timeout', 1, 'aborted'));
          });
        }),
    }));
    const running = runner(spec, { signal: outer.signal });
    outer.abort('shutting down');
    const result = await running;
    assert.deepEqual([result.message, seen], ['aborted', ['shutting down']]);
  });

  it('a check that throws synchronously is down, not a rejection', async () => {
    const runner = createCheckRunner((type) => ({
      ...getCheck(type),
      run: () => {
        throw new Error('bug');
      },
    }));
    const result = await runner(spec, { logger: silentLogger() });
    assert.deepEqual([result.status, result.errorKind], ['down', 'network']);
  });
});
