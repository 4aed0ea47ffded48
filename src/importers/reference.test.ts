import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { IMPORTERS } from './registry.ts';
import { renderImportingReference } from './reference.ts';

describe('docs/importing.md', () => {
  it('is rendered from the importers’ mapping tables (run `npm run docs` when this fails)', async () => {
    const file = path.resolve(import.meta.dirname, '../../docs/importing.md');
    const options = (await prettier.resolveConfig(file)) ?? {};
    const expected = await prettier.format(renderImportingReference(IMPORTERS), {
      ...options,
      filepath: file,
    });
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
  });

  it('has a section for every importer', () => {
    const text = renderImportingReference(IMPORTERS);
    for (const importer of IMPORTERS)
      assert.ok(text.includes(`## ${importer.title}\n`), importer.title);
  });
});
