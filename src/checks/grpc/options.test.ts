import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grpcCheck } from './index.ts';
import { grpcOptionsSchema } from './options.ts';
import { parseGrpcTarget } from './target.ts';

describe('grpc target', () => {
  it('reads host:port, [v6]:port and Gatus-style grpc:// URLs', () => {
    assert.deepEqual(parseGrpcTarget('API.internal:50051'), { host: 'api.internal', port: 50051 });
    assert.deepEqual(parseGrpcTarget('[::1]:50051'), { host: '::1', port: 50051 });
    assert.deepEqual(parseGrpcTarget('grpc://api:443/'), { host: 'api', port: 443 });
  });

  it('needs a port and refuses other schemes', () => {
    assert.match((parseGrpcTarget('api.internal') as { error: string }).error, /no default port/);
    assert.match((parseGrpcTarget('https://api:443') as { error: string }).error, /--grpc-tls/);
    assert.ok('error' in parseGrpcTarget('api:0'));
  });
});

describe('grpc options', () => {
  it('defaults to the whole server, plaintext, SERVING', () => {
    assert.deepEqual(grpcOptionsSchema.parse({}), {
      service: '',
      tls: 'off',
      headers: {},
      expect: 'SERVING',
    });
  });

  it('reads the expected status in any case, and refuses an unknown one', () => {
    assert.equal(grpcOptionsSchema.parse({ expect: ['not_serving'] }).expect, 'NOT_SERVING');
    const bad = grpcOptionsSchema.safeParse({ expect: 'HEALTHY' });
    assert.deepEqual(bad.error?.issues[0]?.path, ['expect']);
    assert.match(bad.error?.issues[0]?.message ?? '', /SERVING/);
  });

  it('turns headers into lower-case metadata and refuses reserved or binary keys', () => {
    const parsed = grpcOptionsSchema.parse({ headers: ['X-Tenant: blue'] });
    assert.deepEqual(parsed.headers, { 'x-tenant': 'blue' });
    for (const header of ['grpc-timeout: 1S', 'trace-bin: AAEC'])
      assert.equal(grpcOptionsSchema.safeParse({ headers: [header] }).success, false, header);
  });

  it('takes a CA only with verify, and masks metadata values for display', () => {
    assert.equal(grpcOptionsSchema.safeParse({ tls: 'off', ca: 'x' }).success, false);
    const options = grpcOptionsSchema.parse({ headers: ['authorization: Bearer s3cret'] });
    assert.deepEqual(grpcCheck.redact?.(options).headers, { authorization: '***' });
  });
});
