import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import type { Store } from '../store/types.ts';
import { configFile, issuesOf, tempConfigService } from '../../test/helpers/config-apply.ts';
import type { ConfigService } from './config-service.ts';

// Dependencies in a config file: monitors name each other by key (and groups by name), the
// store keeps ids, a second apply changes nothing, export writes keys back, and a circle or an
// unknown key is refused at the entry's path.

const SOURCE = 'deps.yaml';
const options = { source: SOURCE, prune: false, dryRun: false };
const file = configFile;
const monitor = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'tcp' as const,
  target: '127.0.0.1:9',
  ...extra,
});

describe('config file dependencies on a real SQLite store', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let service: ConfigService;

  before(async () => {
    ({ store, service, cleanup } = await tempConfigService());
  });
  after(() => cleanup());

  const FILE = file({
    monitors: [
      monitor('router', { key: 'core-router', group: 'core' }),
      monitor('web', { dependsOn: ['core-router', 'group:core'] }),
    ],
  });

  it('stores ids for keys, changes nothing on a second apply, and exports keys', async () => {
    assert.equal((await service.apply(FILE, options)).written, true);
    const monitors = await store.listMonitors();
    const router = monitors.find((m) => m.name === 'router');
    const web = monitors.find((m) => m.name === 'web');
    assert.ok(router !== undefined && web !== undefined);
    assert.deepEqual(web.dependsOn, [router.id, 'group:core']);
    assert.equal((await service.apply(FILE, options)).written, false, 'nothing changed');
    const exported = await service.export({ includeSecrets: false });
    assert.match(exported.text, /dependsOn:\n\s+- core-router\n\s+- group:core/);
    const reloaded = YAML.parse(exported.text) as unknown;
    assert.equal((await service.apply(reloaded, options)).written, false, 'export applies as is');
  });

  it('refuses a circle and an unknown key at the entry, writing nothing', async () => {
    const before = await store.listMonitors();
    const circle = file({
      monitors: [
        monitor('router', { key: 'core-router', group: 'core', dependsOn: ['web'] }),
        monitor('web', { dependsOn: ['core-router'] }),
      ],
    });
    const issues = await issuesOf(service.apply(circle, options));
    assert.ok(
      issues.some((i) =>
        /^document\.monitors\.\d\.dependsOn: dependencies would form a circle/.test(i),
      ),
      issues.join('\n'),
    );
    const unknown = file({ monitors: [monitor('web', { dependsOn: ['nope'] })] });
    assert.deepEqual(await issuesOf(service.apply(unknown, options)), [
      'document.monitors.0.dependsOn.0: no monitor with key "nope" in this file',
    ]);
    assert.deepEqual(await store.listMonitors(), before);
  });
});
