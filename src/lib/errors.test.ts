import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, isStorageFull, storageFullError } from './errors.ts';

/** An error as a driver throws it: a message and a string `code`. */
function driverError(code: string): Error {
  return Object.assign(new Error(`failed with ${code}`), { code });
}

describe('isStorageFull', () => {
  it('knows a full disk from SQLite, the system and PostgreSQL (SQLSTATE 53100)', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', '53100']) {
      assert.equal(isStorageFull(driverError(code)), true, code);
    }
  });

  it('finds it in a cause, and in the typed error itself', () => {
    const wrapped = new AppError('UNAVAILABLE', 'commit failed', { cause: driverError('53100') });
    assert.equal(isStorageFull(wrapped), true);
    assert.equal(isStorageFull(storageFullError(new Error('x'))), true);
  });

  it('is false for other failures', () => {
    for (const code of ['SQLITE_BUSY', 'ECONNREFUSED', '23505', '57014']) {
      assert.equal(isStorageFull(driverError(code)), false, code);
    }
    assert.equal(isStorageFull(new Error('no code')), false);
    assert.equal(isStorageFull(undefined), false);
  });
});
