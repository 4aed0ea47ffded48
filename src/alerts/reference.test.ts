import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { z } from 'zod';
import { listChannels } from './registry.ts';
import { ALERT_DOCS_DIR, existingAlertDocs, generateAlertDocs } from './reference-files.ts';
import { renderChannelPage } from './reference.ts';
import { exampleSettings, settingRows } from './reference-settings.ts';
import { channelSettingsJsonSchema } from './kit/settings-schema.ts';
import type { ChannelDefinition } from './types.ts';

describe('docs/alerts/', () => {
  it('holds exactly the pages rendered from the registry (run `npm run docs` when this fails)', async () => {
    const docs = await generateAlertDocs();
    assert.deepEqual(
      existingAlertDocs(),
      docs.map((doc) => doc.name).sort(),
      'one page per registered channel, plus README.md and templates.md; no stale pages',
    );
    for (const doc of docs) {
      const file = path.join(ALERT_DOCS_DIR, doc.name);
      const options = (await prettier.resolveConfig(file)) ?? {};
      const expected = await prettier.format(doc.text, { ...options, filepath: file });
      assert.equal(fs.readFileSync(file, 'utf8'), expected, `docs/alerts/${doc.name} is stale`);
    }
  });

  it('links every channel from the index and names every setting on its page', async () => {
    const docs = new Map((await generateAlertDocs()).map((doc) => [doc.name, doc.text]));
    const index = docs.get('README.md') ?? '';
    for (const channel of listChannels()) {
      assert.ok(index.includes(`](${channel.type}.md)`), channel.type);
      const page = docs.get(`${channel.type}.md`) ?? '';
      for (const row of settingRows(channelSettingsJsonSchema(channel))) {
        assert.ok(page.includes(`| \`${row.key}\` |`), `${channel.type}: ${row.key}`);
      }
    }
  });

  it('links only inside the repository', async () => {
    for (const doc of await generateAlertDocs()) {
      const links = [...doc.text.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1] ?? '');
      for (const link of links) assert.doesNotMatch(link, /^[a-z]+:/i, `${doc.name}: ${link}`);
    }
  });
});

describe('channel page', () => {
  const channel: ChannelDefinition<unknown> = {
    type: 'example',
    title: 'Example Chat',
    description: 'Post to Example Chat',
    category: 'chat',
    docsUrl: 'https://example.test/api',
    settingsSchema: z.strictObject({
      baseUrl: z.url().default('https://api.example.test').describe('API address'),
      token: z.string().min(8).describe('Bot token | with a pipe'),
      to: z.array(z.email()).min(1),
      smtp: z.strictObject({ host: z.string(), port: z.int().min(1).max(65535).default(587) }),
      mode: z.enum(['plain', 'rich']).optional(),
    }),
    secrets: { token: 'secret' },
    send: () => Promise.resolve({ status: 200, answer: '' }),
    adminOnly: true,
  };

  it('tabulates settings with types, defaults, secrets and nested keys', () => {
    const page = renderChannelPage(channel, '## Receiving\n\nMore text.\n');
    for (const row of [
      '| `baseUrl` | URL | no | `"https://api.example.test"` |  | API address |',
      '| `token` | string, ≥ 8 chars | yes |  | yes | Bot token \\| with a pipe |',
      '| `to` | list of email address, at least 1 | yes |  |  |  |',
      '| `smtp.host` | string | yes |  |  |  |',
      '| `smtp.port` | integer 1–65535 | no | `587` |  |  |',
      '| `mode` | "plain" or "rich" | no |  |  |  |',
    ]) {
      assert.ok(page.includes(row), row);
    }
    assert.ok(page.includes('- Provider documentation: `https://example.test/api`'));
    assert.ok(page.includes('Only admins can create targets'));
    assert.ok(page.trimEnd().endsWith('More text.'));
  });

  it('builds the example from the required settings with placeholders', () => {
    assert.deepEqual(exampleSettings(channelSettingsJsonSchema(channel)), {
      token: '<token>',
      to: ['ops@example.com'],
      smtp: { host: '<host>' },
    });
  });
});
