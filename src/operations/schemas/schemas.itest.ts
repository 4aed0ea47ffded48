import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../domain/monitor.ts';
import type { Store } from '../../store/types.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { invokeOperation } from '../invoke.ts';
import type { AnyOperation } from '../kit.ts';
import { OPERATIONS, findOperation } from '../registry.ts';
import type { OperationServices } from '../services.ts';
import type { HealthShape } from './world.fixture.ts';
import { buildWorld } from './world.fixture.ts';
import { ADMIN, CASES, clock } from './operation-cases.fixture.ts';

function operation(name: string): AnyOperation {
  const op = findOperation(name);
  assert.ok(op, `no operation ${name}`);
  return op;
}

/**
 * Every operation's real output, from real services over a real SQLite store, parses with its
 * output schema and comes back unchanged (objects strip unknown keys, so a field the schema
 * does not name shows up as a difference); so does its JSON form, as clients receive it.
 */
describe('operation outputs match their schemas (real store, real services)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let services: (health: HealthShape) => OperationServices;
  let ids: { monitor: string; second: string };

  before(async () => {
    let dir: string;
    ({ store, dir, cleanup } = await tempSqliteStore());
    let monitor: Monitor;
    ({ monitor, services } = await buildWorld(store, clock, dir));
    const second = await services('offline').monitors.create?.({
      name: 'Second',
      type: 'tcp',
      target: '127.0.0.1:1',
    });
    assert.ok(second);
    ids = { monitor: monitor.id, second: second.id };
  });
  after(() => cleanup());

  it('covers every operation', () => {
    const covered = new Set(CASES.map((c) => c.op));
    assert.deepEqual(
      OPERATIONS.map((op) => op.name).filter((name) => !covered.has(name)),
      [],
    );
  });

  for (const [index, c] of CASES.entries()) {
    it(`${c.op} #${index}`, async () => {
      const op = operation(c.op);
      const output = await invokeOperation(
        op,
        ADMIN,
        services(c.health ?? 'coordinator'),
        c.input(ids),
      );
      c.expect?.(output);
      assert.deepEqual(op.output.parse(output), output);
      if (output === undefined) return;
      const json: unknown = JSON.parse(JSON.stringify(output));
      assert.deepEqual(op.output.parse(json), json);
    });
  }
});
