import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { loadConfigText } from './load.ts';
import { configFileJsonSchema, renderConfigFileSchema } from './schema.ts';

describe('docs/crosscheck.schema.json', () => {
  it('is the JSON Schema rendered from the file schema (run `npm run docs` when this fails)', async () => {
    const file = path.resolve(import.meta.dirname, '../../docs/crosscheck.schema.json');
    const options = (await prettier.resolveConfig(file)) ?? {};
    const expected = await prettier.format(renderConfigFileSchema(), {
      ...options,
      filepath: file,
    });
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
  });

  it('describes the monitor fields editors complete, keys included', async () => {
    const schema = JSON.stringify(configFileJsonSchema());
    for (const field of ['"version"', '"monitors"', '"key"', '"intervalMs"', '"nodes"', '"alerts"'])
      assert.ok(schema.includes(field), field);
  });
});

describe('docs/config-file.md', () => {
  it('shows an example with every kind that is a valid file', async () => {
    const doc = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../docs/config-file.md'),
      'utf8',
    );
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const loaded = await loadConfigText('example.yaml', example, () => 'https://hooks.test/x');
    assert.ok(loaded.ok, JSON.stringify(loaded));
    for (const kind of [
      'alertTargets',
      'alertRules',
      'monitors',
      'maintenance',
      'statusPages',
    ] as const)
      assert.ok((loaded.config[kind]?.length ?? 0) > 0, kind);
  });
});
