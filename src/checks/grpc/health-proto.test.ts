import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  SERVING_STATUSES,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from './health-proto.ts';

describe('grpc health messages', () => {
  it('encodes as protoc does', () => {
    assert.equal(encodeRequest({ service: '' }).length, 0);
    assert.deepEqual([...encodeRequest({ service: 'db' })], [0x0a, 0x02, 0x64, 0x62]);
    assert.deepEqual([...encodeResponse({ status: 'SERVING' })], [0x08, 0x01]);
    assert.equal(encodeResponse({ status: 'UNKNOWN' }).length, 0);
  });

  it('round-trips any service name and status', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (service) => {
        assert.equal(decodeRequest(encodeRequest({ service })).service, service);
      }),
    );
    for (const status of SERVING_STATUSES)
      assert.equal(decodeResponse(encodeResponse({ status })).status, status);
    assert.equal(decodeResponse(encodeResponse({ status: 300 })).status, 300);
  });

  it('skips fields it does not know and refuses truncated bytes', () => {
    // field 2 (varint 5), field 3 (bytes "x"), field 4 (fixed32), then status = NOT_SERVING.
    const bytes = Buffer.from([0x10, 0x05, 0x1a, 0x01, 0x78, 0x25, 1, 2, 3, 4, 0x08, 0x02]);
    assert.equal(decodeResponse(bytes).status, 'NOT_SERVING');
    assert.throws(() => decodeResponse(Buffer.from([0x08])));
    assert.throws(() => decodeRequest(Buffer.from([0x0a, 0x05, 0x61])));
  });

  it('never loops or throws anything but an Error on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        try {
          decodeResponse(Buffer.from(raw));
        } catch (error) {
          assert.ok(error instanceof Error);
        }
      }),
    );
  });
});
