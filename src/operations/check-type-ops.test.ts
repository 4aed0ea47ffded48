import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonSchema } from '../checks/options-json-schema.ts';
import { isSchema, titleOf } from '../checks/options-json-schema.ts';
import { getCheck, parseCheckConfig, redactCheckOptions } from '../checks/registry.ts';
import type { CheckType } from '../checks/types.ts';
import { CHECK_TYPES } from '../checks/types.ts';
import { listCheckTypes } from './check-type-ops.ts';
import type { OperationContext } from './kit.ts';

/** Options a user would write for each type; a missing type is a type error. */
const FIXTURES: Record<CheckType, { target: string; options: Record<string, unknown> }> = {
  http: {
    target: 'http://127.0.0.1:8080/health',
    options: {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret', accept: 'application/json' },
      expectedStatus: ['200-299'],
      maxRedirects: 3,
      degradedThresholdMs: 500,
    },
  },
  https: { target: 'https://127.0.0.1:8443/', options: { insecure: true } },
  http_keyword: {
    target: 'http://127.0.0.1:8080/',
    options: { keyword: 'ok', caseInsensitive: true },
  },
  http_json: { target: 'http://127.0.0.1:8080/', options: { assertions: ['$.status == "ok"'] } },
  tcp: { target: '127.0.0.1:6379', options: { send: 'PING\r\n', expect: '+PONG' } },
  dns: {
    target: 'example.com',
    options: { recordType: 'A', resolver: '127.0.0.1:53', expect: ['192.0.2.1'], match: 'any' },
  },
  icmp: { target: '127.0.0.1', options: { count: 2 } },
  tls: { target: '127.0.0.1:8443', options: { warnDays: 30 } },
  postgres: {
    target: '127.0.0.1:5432',
    options: { username: 'monitor', password: 's3cret-pw', query: 'SELECT 1', expect: '1' },
  },
  udp: { target: '127.0.0.1:53', options: { sendHex: '00 01', expect: '/^\\x00/' } },
  websocket: {
    target: 'wss://127.0.0.1:8443/socket',
    options: {
      headers: { authorization: 'Bearer s3cret', origin: 'https://127.0.0.1' },
      subprotocol: 'graphql-ws',
      send: '{"type":"ping"}',
      expect: 'pong',
    },
  },
  ssh: {
    target: '127.0.0.1:22',
    options: {
      hostKey: ['SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'],
      expect: 'OpenSSH',
      username: 'probe',
      password: 's3cret',
    },
  },
  redis: {
    target: 'redis://127.0.0.1:6379/1',
    options: { username: 'probe', password: 's3cret', command: 'GET health', expect: 'ok' },
  },
  grpc: {
    target: '127.0.0.1:50051',
    options: {
      service: 'app.Orders',
      tls: 'verify',
      headers: { authorization: 'Bearer s3cret' },
      expect: 'SERVING',
    },
  },
  mysql: {
    target: '127.0.0.1:3306',
    options: {
      username: 'monitor',
      password: 's3cret-pw',
      database: 'app',
      query: 'SELECT 1',
      expect: '1',
      tls: 'require',
    },
  },
  mqtt: {
    target: 'mqtts://127.0.0.1:8883',
    options: {
      username: 'probe',
      password: 's3cret',
      clientIdPrefix: 'probe-',
      topic: 'health/probe',
      send: 'ping',
      expect: 'ping',
      insecure: true,
    },
  },
  smtp: {
    target: 'smtps://127.0.0.1:465',
    options: { tls: 'implicit', username: 'probe', password: 's3cret', expect: '/ESMTP/' },
  },
  imap: {
    target: '127.0.0.1:143',
    options: { tls: 'starttls', username: 'probe', password: 's3cret', degradedThresholdMs: 500 },
  },
  pop3: { target: 'pop3s://127.0.0.1:995', options: { username: 'probe', password: 's3cret' } },
  domain: {
    target: 'example.com',
    options: { expiryWarningMs: 2_592_000_000, rdapServer: 'http://127.0.0.1:8080/rdap/' },
  },
  push: {
    target: 'nightly-backup',
    options: {
      token: 'kuma-push-token-0123',
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      graceMs: 1_800_000,
    },
  },
  browser: {
    target: 'https://127.0.0.1:8443/login',
    options: {
      steps: [
        { action: 'fill', selector: '#user', value: 'probe' },
        { action: 'fill', selector: '#password', value: 's3cret', secret: true },
        { action: 'click', selector: 'button[type=submit]' },
        { action: 'expectText', selector: 'h1', text: 'Welcome' },
        { action: 'expectStatus', status: 200 },
      ],
      insecure: true,
    },
  },
};

/**
 * The subset of JSON Schema 2020-12 these schemas use, checked by hand: a form generator
 * reads the same keywords. Returns the paths that fail.
 */
function problems(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) {
    const fits = anyOf
      .filter(isSchema)
      .some((branch) => problems(branch, value, path).length === 0);
    return fits ? [] : [`${path}: no anyOf branch fits`];
  }
  const found: string[] = [];
  const types = [schema['type']].flat().filter((t) => typeof t === 'string');
  const typeOf = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  const actual = typeOf(value);
  const typeFits = (t: string) => t === actual || (t === 'number' && actual === 'integer');
  if (types.length > 0 && !types.some(typeFits))
    return [`${path}: ${actual} is not ${types.join('|')}`];
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues) && !enumValues.includes(value)) found.push(`${path}: not in enum`);
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum'])
      found.push(`${path}: < minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum'])
      found.push(`${path}: > maximum`);
  }
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength'])
      found.push(`${path}: too short`);
    if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength'])
      found.push(`${path}: too long`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value))
      found.push(`${path}: pattern`);
  }
  if (Array.isArray(value) && isSchema(schema['items'])) {
    const items = schema['items'];
    value.forEach((item, i) => found.push(...problems(items, item, `${path}[${i}]`)));
  }
  if (isSchema(value)) {
    const properties = isSchema(schema['properties']) ? schema['properties'] : {};
    const required = Array.isArray(schema['required']) ? schema['required'] : [];
    for (const key of required)
      if (!(String(key) in value)) found.push(`${path}.${String(key)}: required`);
    for (const [key, item] of Object.entries(value)) {
      const property = properties[key];
      if (isSchema(property)) found.push(...problems(property, item, `${path}.${key}`));
      else if (schema['additionalProperties'] === false) found.push(`${path}.${key}: not allowed`);
    }
  }
  return found;
}

async function listed() {
  return listCheckTypes.run({} as OperationContext, {});
}

describe('checks.types.list', () => {
  it('lists every registered type, in registry order', async () => {
    const { items } = await listed();
    assert.deepEqual(
      items.map((i) => i.type),
      [...CHECK_TYPES],
    );
  });

  it("each type's options schema accepts its fixture and the fixture parses", async () => {
    for (const item of (await listed()).items) {
      const fixture = FIXTURES[item.type];
      parseCheckConfig(item.type, fixture.target, fixture.options);
      assert.deepEqual(problems(item.optionsSchema, fixture.options), [], item.type);
      assert.deepEqual(problems(item.targetSchema, fixture.target), [], item.type);
      assert.equal(item.optionsSchema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    }
  });

  it('keeps enums, bounds and defaults, and names every option', async () => {
    const http = (await listed()).items.find((i) => i.type === 'http')?.optionsSchema;
    assert.ok(http);
    const props = http['properties'] as Record<string, JsonSchema>;
    assert.ok(Array.isArray(props['method']?.['enum']));
    assert.equal(props['method']?.['default'], 'GET');
    assert.equal(props['maxRedirects']?.['maximum'], 20);
    assert.equal(props['maxRedirects']?.['default'], 10);
    assert.equal(props['degradedThresholdMs']?.['title'], 'Degraded threshold (ms)');
    assert.match(String(props['followRedirects']?.['description']), /redirects/);
    assert.deepEqual(problems(http, { maxRedirects: 99 }), ['$.maxRedirects: > maximum']);
    assert.deepEqual(problems(http, { bogus: 1 }), ['$.bogus: not allowed']);
    for (const item of (await listed()).items) {
      for (const [key, property] of Object.entries(item.optionsSchema['properties'] ?? {})) {
        assert.equal((property as JsonSchema)['title'], titleOf(key), `${item.type}.${key}`);
      }
    }
  });

  it('has no $ref, so a form generator needs no resolver and meets no cycle', async () => {
    assert.doesNotMatch(JSON.stringify(await listed()), /\$ref/);
  });

  it('lists secret options, marks them, and they are what redaction masks', async () => {
    for (const item of (await listed()).items) {
      const definition = getCheck(item.type);
      const keys = item.secrets.map((s) => s.key);
      assert.deepEqual(keys, Object.keys(definition.secretOptions ?? {}), item.type);
      const props = item.optionsSchema['properties'] as Record<string, JsonSchema>;
      for (const key of keys) assert.equal(typeof props[key]?.['x-secret'], 'string');
      const { options } = parseCheckConfig(
        item.type,
        FIXTURES[item.type].target,
        FIXTURES[item.type].options,
      );
      const shown = redactCheckOptions(item.type, options);
      const changed = Object.keys(options).filter(
        (key) => JSON.stringify(options[key]) !== JSON.stringify(shown[key]),
      );
      // Redaction masks nothing outside the declared secrets.
      assert.ok(
        changed.every((key) => keys.includes(key)),
        `${item.type}: ${changed.join()}`,
      );
    }
    const http = (await listed()).items.find((i) => i.type === 'http');
    assert.deepEqual(
      http?.secrets.map((s) => s.key),
      ['headers'],
    );
  });

  it('describes the monitor fields, with duration bounds and defaults', async () => {
    const { monitorFields } = await listed();
    const body = {
      name: 'Shop',
      type: 'http',
      target: 'http://127.0.0.1:8080/',
      intervalMs: '30s',
      timeoutMs: 5_000,
      tags: ['prod'],
      alerts: [{ target: 'ops-slack' }],
      nodes: { regions: ['eu-west'], labels: {} },
    };
    assert.deepEqual(problems(monitorFields, body), []);
    assert.deepEqual(problems(monitorFields, { ...body, intervalMs: 10 }), [
      '$.intervalMs: no anyOf branch fits',
    ]);
    assert.deepEqual(problems(monitorFields, { ...body, intervalMs: 'soon' }), [
      '$.intervalMs: no anyOf branch fits',
    ]);
    assert.deepEqual(problems(monitorFields, { type: 'http', target: 'x' }), ['$.name: required']);
    const props = monitorFields['properties'] as Record<string, JsonSchema>;
    assert.equal(props['intervalMs']?.['default'], 60_000);
    assert.equal(props['failureThreshold']?.['default'], 2);
    assert.ok(Object.values(props).every((p) => typeof p['title'] === 'string'));
  });
});
