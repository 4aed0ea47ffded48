import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../lib/errors.ts';
import { isLoopbackHost, loadNodeConfig, resolveDataDir } from './node-config.ts';

describe('node config', () => {
  it('uses flags first, then environment, then defaults', () => {
    const env = {
      HOME: '/home/u',
      CROSSCHECK_DATA_DIR: '/var/lib/cc',
      CROSSCHECK_API_LISTEN: '0.0.0.0:9000',
    };
    const fromEnv = loadNodeConfig({}, env);
    assert.equal(fromEnv.dataDir, '/var/lib/cc');
    assert.deepEqual(fromEnv.api, { host: '0.0.0.0', port: 9000 });
    const fromFlags = loadNodeConfig(
      { dataDir: '/tmp/x', apiListen: '[::1]:7434', retainResults: '3d' },
      env,
    );
    assert.equal(fromFlags.dataDir, '/tmp/x');
    assert.deepEqual(fromFlags.api, { host: '::1', port: 7434 });
    assert.equal(fromFlags.retention.rawMs, 3 * 86_400_000);
    assert.equal(loadNodeConfig({}, { HOME: '/home/u' }).api.port, 7434);
  });

  it('defaults the data dir under XDG_DATA_HOME or ~/.local/share', () => {
    assert.equal(resolveDataDir(undefined, { XDG_DATA_HOME: '/x/data' }), '/x/data/crosscheck');
  });

  it('names every bad flag at once', () => {
    try {
      loadNodeConfig(
        { apiListen: 'nope', logLevel: 'loud', concurrency: '0', retainResults: 'forever' },
        {},
      );
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'VALIDATION');
      assert.deepEqual(error.issues.map((i) => i.path).sort(), [
        '--api-listen',
        '--concurrency',
        '--log-level',
        '--retain-results',
      ]);
    }
  });

  it('parses the cluster flags and names the bad ones', () => {
    const config = loadNodeConfig(
      { listen: '[::1]:0', heartbeatInterval: '2s', graceCount: '4', outboxMax: '5000' },
      {},
    );
    assert.deepEqual(config.peerListen, { host: '::1', port: 0 });
    assert.equal(config.heartbeatMs, 2_000);
    assert.equal(config.graceCount, 4);
    assert.equal(config.outboxMaxResults, 5_000);
    assert.equal(loadNodeConfig({}, {}).peerListen, null);
    try {
      loadNodeConfig(
        { listen: 'x', heartbeatInterval: '1ms', graceCount: '1', outboxMax: '10' },
        {},
      );
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.deepEqual(error.issues.map((i) => i.path).sort(), [
        '--grace-count',
        '--heartbeat-interval',
        '--listen',
        '--outbox-max',
      ]);
    }
  });

  it('reads --storage-budget (or CROSSCHECK_STORAGE_BUDGET) as bytes and names it when bad', () => {
    assert.equal(loadNodeConfig({}, {}).storageBudgetBytes, null);
    assert.equal(loadNodeConfig({ storageBudget: '20GB' }, {}).storageBudgetBytes, 20e9);
    const fromEnv = loadNodeConfig({}, { CROSSCHECK_STORAGE_BUDGET: '500MiB' });
    assert.equal(fromEnv.storageBudgetBytes, 500 * 2 ** 20);
    for (const bad of ['20', 'lots', '1MB']) {
      assert.throws(
        () => loadNodeConfig({ storageBudget: bad }, {}),
        (error) =>
          error instanceof AppError &&
          error.code === 'VALIDATION' &&
          error.issues[0]?.path === '--storage-budget' &&
          /500MB or 20GB/.test(error.issues[0].message),
      );
    }
  });

  it('knows which hosts are loopback-only', () => {
    assert.ok(isLoopbackHost('127.0.0.1'));
    assert.ok(isLoopbackHost('::1'));
    assert.ok(isLoopbackHost('localhost'));
    assert.ok(!isLoopbackHost('0.0.0.0'));
    assert.ok(!isLoopbackHost('::'));
  });
});
