import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  maxLength,
  mentionsAlert,
  requireContentType,
  requireJsonObject,
  requireRoute,
  valueAt,
} from '../../testing/protocol-checks.ts';

// Discord's documented Execute Webhook protocol (discord.com/developers/docs/resources/
// webhook#execute-webhook) and message limits (…/resources/message#embed-object-embed-limits).

const WEBHOOK_TOKEN = 'kT3vQ9-xY2mN8pL4rS6tU1wZ0aB5cD7eF9gH2iJ4kL6mN8oP0qR2sT4uV6wX8yZ0aB2';
const WEBHOOK_PATH = /^\/api(\/v\d+)?\/webhooks\/\d+\/[\w-]+$/;

function embedProblems(embed: unknown, index: number): string[] {
  const where = `embeds.${index}`;
  const problems = [
    ...maxLength(embed, 'title', 256),
    ...maxLength(embed, 'description', 4096),
    ...maxLength(embed, 'footer.text', 2048),
    ...maxLength(embed, 'author.name', 256),
  ].map((p) => `${where}: ${p}`);
  const fields = valueAt(embed, 'fields');
  if (Array.isArray(fields)) {
    if (fields.length > 25) problems.push(`${where} has ${fields.length} fields, the limit is 25`);
    fields.forEach((field: unknown) =>
      problems.push(...maxLength(field, 'name', 256), ...maxLength(field, 'value', 1024)),
    );
  }
  return problems;
}

/** Sum of an embed's title, description, field names and values, footer and author: ≤ 6000. */
function embedCharacters(embed: unknown): number {
  const texts = ['title', 'description', 'footer.text', 'author.name'].map((p) =>
    valueAt(embed, p),
  );
  const fields = valueAt(embed, 'fields');
  if (Array.isArray(fields)) {
    for (const field of fields) texts.push(valueAt(field, 'name'), valueAt(field, 'value'));
  }
  return texts.reduce<number>(
    (sum, text) => sum + (typeof text === 'string' ? Array.from(text).length : 0),
    0,
  );
}

function messageProblems(body: unknown): string[] {
  const problems = [...requireJsonObject(body), ...maxLength(body, 'content', 2000)];
  problems.push(...maxLength(body, 'username', 80));
  const content = valueAt(body, 'content');
  const embeds = valueAt(body, 'embeds');
  const hasEmbeds = Array.isArray(embeds) && embeds.length > 0;
  if ((typeof content !== 'string' || content === '') && !hasEmbeds) {
    problems.push('neither content nor embeds: "Cannot send an empty message"');
  }
  if (Array.isArray(embeds)) {
    if (embeds.length > 10) problems.push(`${embeds.length} embeds, the limit is 10`);
    embeds.forEach((embed: unknown, i) => problems.push(...embedProblems(embed, i)));
    const total = embeds.reduce<number>((sum, embed: unknown) => sum + embedCharacters(embed), 0);
    if (total > 6000) problems.push(`embeds hold ${total} characters, the limit is 6000`);
  }
  return problems;
}

function embedTitle(request: ProviderRequest): unknown {
  return valueAt(request.json, 'embeds.0.title');
}

export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://discord.com/developers/docs/resources/webhook#execute-webhook',
    'https://discord.com/developers/docs/resources/message#embed-object-embed-limits',
  ],
  settings: (baseUrl) => ({
    webhookUrl: `${baseUrl}/api/webhooks/1187364029381726208/${WEBHOOK_TOKEN}`,
    username: 'Crosscheck',
  }),
  secrets: [WEBHOOK_TOKEN],
  protocol: (request) => [
    ...requireRoute(request, 'POST', WEBHOOK_PATH),
    ...requireContentType(request.headers, 'application/json'),
    ...messageProblems(request.json),
  ],
  semantics: (request, sent) => [
    ...(request.query.get('wait') === 'true' ? [] : ['wait=true is missing: no message id back']),
    ...mentionsAlert(embedTitle(request), sent),
    ...(Array.isArray(valueAt(request.json, 'allowed_mentions.parse')) &&
    (valueAt(request.json, 'allowed_mentions.parse') as unknown[]).length === 0
      ? []
      : ['alert text may ping @everyone: allowed_mentions.parse is not empty']),
  ],
  accept: () => ({
    status: 200,
    body: {
      id: '1187364511209988126',
      type: 0,
      content: '',
      channel_id: '1187363901234567890',
      webhook_id: '1187364029381726208',
      embeds: [],
    },
  }),
  documentedExamples: [
    {
      source:
        'https://discord.com/developers/docs/resources/webhook#execute-webhook (JSON params content, username, embeds)',
      method: 'POST',
      path: '/api/webhooks/223704706495545344/3d89bb7572e0fb30d8128367b3b1b44fecd1726de135cbe28a41f8b2f777c372ba2939e72279b94526ff5d1bd4358d65cf11',
      headers: { 'Content-Type': 'application/json' },
      body: '{"content":"Hello, World!","username":"Webhook","embeds":[{"title":"Hello, Embed!","description":"This is an embed."}]}',
    },
  ],
  errors: [
    {
      answer: { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } },
      retryable: false,
      why: 'invalid message',
    },
    {
      answer: { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } },
      retryable: false,
      why: 'bad token',
    },
    {
      answer: { status: 404, body: { message: 'Unknown Webhook', code: 10015 } },
      retryable: false,
      why: 'webhook deleted',
    },
    { answer: { status: 500 }, retryable: true, why: 'Discord server error' },
    { answer: { status: 502 }, retryable: true, why: 'Discord gateway unavailable' },
  ],
};
