import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { OPERATIONS } from './registry.ts';
import { renderOperationsReference } from './reference.ts';

describe('docs/operations.md', () => {
  it('is the reference rendered from the registry (run `npm run docs` when this fails)', async () => {
    const file = path.resolve(import.meta.dirname, '../../docs/operations.md');
    const options = (await prettier.resolveConfig(file)) ?? {};
    const expected = await prettier.format(renderOperationsReference(OPERATIONS), {
      ...options,
      filepath: file,
    });
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
  });

  it('names every operation once', () => {
    const text = renderOperationsReference(OPERATIONS);
    for (const op of OPERATIONS) {
      assert.equal(text.split(`| \`${op.name}\` |`).length, 2, op.name);
    }
  });
});
