import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { allCheckFlags, getCheck, listChecks, parseCheckConfig } from './registry.ts';
import { CHECK_TYPES } from './types.ts';

/** Types implemented in another type's folder. */
const FOLDER_OF: Partial<Record<string, string>> = { https: 'http' };

describe('check registry', () => {
  it('has a definition for every type, under its own name', () => {
    assert.deepEqual(
      listChecks().map((c) => c.type),
      [...CHECK_TYPES],
    );
    for (const type of CHECK_TYPES) assert.equal(getCheck(type).type, type);
  });

  it('every check type has integration tests against real servers in its folder', () => {
    for (const type of CHECK_TYPES) {
      const folder = path.join(import.meta.dirname, FOLDER_OF[type] ?? type);
      const itests = fs.readdirSync(folder).filter((f) => f.endsWith('.itest.ts'));
      assert.ok(itests.length > 0, `src/checks/${FOLDER_OF[type] ?? type} has no *.itest.ts`);
    }
  });

  it('flags shared by several types mean the same option everywhere', () => {
    const keyByFlag = new Map<string, string>();
    for (const check of listChecks()) {
      for (const flag of check.flags) {
        const known = keyByFlag.get(flag.flags);
        assert.ok(
          known === undefined || known === flag.key,
          `${flag.flags} maps to ${known} and ${flag.key}`,
        );
        keyByFlag.set(flag.flags, flag.key);
      }
    }
    assert.equal(allCheckFlags().length, keyByFlag.size);
  });

  it('reports every bad field of a config at once', () => {
    assert.throws(
      () => parseCheckConfig('http', 'not a url', { expectedStatus: 'abc', bogus: true }),
      (error: { code?: string; issues?: { path: string }[] }) => {
        const paths = (error.issues ?? []).map((i) => i.path);
        assert.equal(error.code, 'VALIDATION');
        assert.ok(paths.includes('target'), paths.join());
        assert.ok(
          paths.some((p) => p.startsWith('options')),
          paths.join(),
        );
        return true;
      },
    );
  });
});
