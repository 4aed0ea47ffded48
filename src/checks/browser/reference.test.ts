import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { renderBrowserChecksDoc, renderStepsReference } from './reference.ts';
import { STEP_ACTIONS } from './steps.ts';

describe('docs/browser-checks.md', () => {
  it('is rendered from the step schema (run `npm run docs` when this fails)', async () => {
    const file = path.resolve(import.meta.dirname, '../../../docs/browser-checks.md');
    const options = (await prettier.resolveConfig(file)) ?? {};
    const expected = await prettier.format(renderBrowserChecksDoc(), {
      ...options,
      filepath: file,
    });
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
  });

  it('has a row for every action, naming its required fields', () => {
    const table = renderStepsReference();
    for (const action of STEP_ACTIONS) assert.ok(table.includes(`| \`${action}\` |`), action);
    assert.match(
      table,
      /\| `fill` \| \*\*`selector` \(string\)\*\*, \*\*`value` \(string\)\*\*, `secret` \(boolean\)/,
    );
  });
});
