import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { listChannels } from '../registry.ts';
import type { ChannelDefinition } from '../types.ts';
import {
  channelSettingsJsonSchema,
  isSchema,
  objectBranches,
  propertiesOf,
  requiredOf,
} from './settings-schema.ts';

describe('channel settings as JSON Schema', () => {
  for (const channel of listChannels()) {
    it(`${channel.type}: an object schema whose declared secrets are write-only properties`, () => {
      const schema = channelSettingsJsonSchema(channel);
      assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
      const branches = objectBranches(schema);
      assert.ok(branches.length > 0, 'settings are an object (or a union of objects)');
      for (const [key, kind] of Object.entries(channel.secrets)) {
        const declared = branches
          .map((branch) => propertiesOf(branch)[key])
          .filter((property) => isSchema(property));
        assert.ok(declared.length > 0, `secret ${key} is a settings property`);
        for (const property of declared) {
          assert.equal(property['writeOnly'], true, key);
          assert.equal(property['x-secret'], kind, key);
        }
      }
      // Everything JSON can carry round-trips: the export is plain JSON.
      assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
    });
  }

  it('keeps descriptions, formats, defaults and optional-with-default fields', () => {
    const channel: ChannelDefinition<unknown> = {
      type: 'example',
      title: 'Example',
      description: 'An example',
      category: 'chat',
      docsUrl: 'https://example.test/docs',
      settingsSchema: z.strictObject({
        baseUrl: z.url().default('https://api.example.test').describe('API address'),
        token: z.string().min(1).describe('Bot token'),
        webhookUrl: z.url().optional(),
        headers: z.record(z.string(), z.string()).optional(),
      }),
      secrets: { token: 'secret', webhookUrl: 'secret-url', headers: 'secret-values' },
      send: () => Promise.resolve({ status: 200, answer: '' }),
    };
    const schema = channelSettingsJsonSchema(channel);
    const properties = propertiesOf(schema);
    assert.deepEqual(requiredOf(schema), ['token']);
    assert.deepEqual(properties['baseUrl'], {
      default: 'https://api.example.test',
      description: 'API address',
      type: 'string',
      format: 'uri',
    });
    assert.deepEqual(properties['token'], {
      description: 'Bot token',
      type: 'string',
      minLength: 1,
      writeOnly: true,
      'x-secret': 'secret',
      format: 'password',
    });
    const webhookUrl = properties['webhookUrl'];
    assert.ok(isSchema(webhookUrl));
    assert.equal(webhookUrl['format'], 'uri', 'a secret URL stays a URL');
    assert.equal(webhookUrl['writeOnly'], true);
    const headers = properties['headers'];
    assert.ok(isSchema(headers));
    assert.equal(headers['x-secret'], 'secret-values');
    assert.equal(headers['format'], undefined);
  });

  it('marks secrets in every branch of a settings union', () => {
    const channel: ChannelDefinition<unknown> = {
      type: 'example',
      title: 'Example',
      description: 'An example',
      category: 'chat',
      docsUrl: 'https://example.test/docs',
      settingsSchema: z.union([
        z.strictObject({ webhookUrl: z.url() }),
        z.strictObject({ token: z.string(), channel: z.string() }),
      ]),
      secrets: { token: 'secret', webhookUrl: 'secret-url' },
      send: () => Promise.resolve({ status: 200, answer: '' }),
    };
    const [hook, bot] = objectBranches(channelSettingsJsonSchema(channel));
    assert.ok(hook !== undefined && bot !== undefined);
    assert.deepEqual(Object.keys(propertiesOf(hook)), ['webhookUrl']);
    const token = propertiesOf(bot)['token'];
    assert.ok(isSchema(token));
    assert.equal(token['format'], 'password');
  });
});
