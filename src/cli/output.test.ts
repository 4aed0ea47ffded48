import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { exitQuietlyOnClosedPipe } from './output.ts';

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code, errno: -32, syscall: 'write' });
}

describe('exitQuietlyOnClosedPipe', () => {
  it("exits 0 when stdout's reader closed it (EPIPE)", () => {
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    const exits: number[] = [];
    exitQuietlyOnClosedPipe({ stdout, stderr }, (code) => exits.push(code));
    stdout.emit('error', errnoError('EPIPE'));
    assert.deepEqual(exits, [0]);
  });

  it("carries on when only stderr's reader went away: a daemon keeps monitoring", () => {
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    const exits: number[] = [];
    exitQuietlyOnClosedPipe({ stdout, stderr }, (code) => exits.push(code));
    stderr.emit('error', errnoError('EPIPE'));
    assert.deepEqual(exits, []);
  });

  it('leaves other stream errors fatal', () => {
    const stdout = new EventEmitter();
    const exits: number[] = [];
    exitQuietlyOnClosedPipe({ stdout, stderr: new EventEmitter() }, (code) => exits.push(code));
    assert.throws(() => stdout.emit('error', errnoError('EIO')), /write EIO/);
    assert.deepEqual(exits, []);
  });
});
