import type { HttpChannelFixture, ProviderRequest } from '../../testing/channel-fixture.ts';
import {
  requireFields,
  requireOneOf,
  requireRoute,
  stringAt,
  valueAt,
} from '../../testing/protocol-checks.ts';

const TOKEN = '7012345678:AAHcontractTokenForTelegram_0001xyz';
const CHAT = '-1001234567890';
const TEXT_LIMIT = 4096;
/** The tags Telegram's HTML parse mode supports (Formatting options). */
const HTML_TAG =
  /<\/?(b|strong|i|em|u|ins|s|strike|del|span|tg-spoiler|a|code|pre|blockquote|tg-emoji)(\s[^>]*)?>/g;
/** Named entities Telegram supports, plus every numeric one. */
const HTML_ENTITY = /&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g;

/** The Bot API's sendMessage, as https://core.telegram.org/bots/api documents it. */
export const fixture: HttpChannelFixture = {
  kind: 'http',
  docs: [
    'https://core.telegram.org/bots/api#making-requests',
    'https://core.telegram.org/bots/api#sendmessage',
    'https://core.telegram.org/bots/api#formatting-options',
  ],
  settings: (baseUrl) => ({ apiUrl: baseUrl, botToken: TOKEN, chatId: CHAT }),
  secrets: [TOKEN],
  protocol: (request) => {
    const params = parameters(request);
    return [
      ...requireRoute(request, 'POST', /^\/bot\d+:[A-Za-z0-9_-]+\/sendMessage$/),
      ...(params === undefined ? ['body is neither JSON nor a form'] : []),
      ...requireFields(params, ['chat_id', 'text']),
      ...(valueAt(params, 'parse_mode') === undefined
        ? []
        : requireOneOf(params, 'parse_mode', ['HTML', 'MarkdownV2', 'Markdown'])),
      ...textProblems(params),
    ];
  },
  semantics: (request, sent) => {
    const params = parameters(request);
    const problems: string[] = [];
    if (!request.path.includes(`/bot${TOKEN}/`)) problems.push('path does not carry the bot token');
    if (valueAt(params, 'chat_id') !== CHAT) problems.push('chat_id differs from the settings');
    const text = visibleText(stringAt(params, 'text'));
    const title = Array.from(sent.message.title).slice(0, 40).join('');
    if (!text.includes(title)) problems.push('text does not carry the alert title');
    if (sent.openingRef !== null && valueAt(params, 'reply_parameters.message_id') === undefined)
      problems.push('a closing alert does not reply to the opening message');
    return problems;
  },
  accept: (request) => ({
    status: 200,
    body: {
      ok: true,
      result: {
        message_id: 4242,
        date: 1767225600,
        chat: { id: Number(CHAT), type: 'supergroup' },
        text: visibleText(stringAt(parameters(request), 'text')),
      },
    },
  }),
  documentedExamples: [
    {
      source:
        'https://core.telegram.org/bots/api — "Authorizing your bot" (token format), "Making requests" (POST application/json), "sendMessage", "HTML style" example',
      method: 'POST',
      path: '/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage',
      headers: { 'content-type': 'application/json' },
      body: '{"chat_id":"@channelusername","text":"<b>bold</b>, <strong>bold</strong>\\n<i>italic</i>, <a href=\\"http://www.example.com/\\">inline URL</a>","parse_mode":"HTML"}',
    },
  ],
  errors: [
    {
      answer: {
        status: 400,
        body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      },
      retryable: false,
      why: 'chat not found',
    },
    {
      answer: { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } },
      retryable: false,
      why: 'revoked token',
    },
    {
      answer: {
        status: 403,
        body: {
          ok: false,
          error_code: 403,
          description: 'Forbidden: bot was kicked from the group chat',
        },
      },
      retryable: false,
      why: 'bot removed from the chat',
    },
    {
      answer: { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } },
      retryable: false,
      why: 'wrong token in the path',
    },
    {
      answer: {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 5',
          parameters: { retry_after: 5 },
        },
      },
      retryable: true,
      why: 'flood control (wait in the body)',
    },
    {
      answer: {
        status: 200,
        body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' },
      },
      retryable: false,
      why: 'ok:false in a 2xx answer',
    },
    { answer: { status: 502, body: 'Bad Gateway' }, retryable: true, why: 'Bot API unavailable' },
  ],
};

/** Parameters may come as JSON, as a form or in the query (Making requests). */
function parameters(request: ProviderRequest): unknown {
  if (request.json !== undefined) return request.json;
  if (request.form !== undefined) return Object.fromEntries(request.form);
  return request.query.size > 0 ? Object.fromEntries(request.query) : undefined;
}

function textProblems(params: unknown): string[] {
  const text = valueAt(params, 'text');
  if (typeof text !== 'string') return [];
  const mode = valueAt(params, 'parse_mode');
  const problems: string[] = [];
  if (mode === 'HTML') {
    const withoutMarkup = text.replace(HTML_TAG, '').replace(HTML_ENTITY, '');
    if (/[<>]/.test(withoutMarkup))
      problems.push('text has an unsupported tag or an unescaped < or >');
    if (withoutMarkup.includes('&')) problems.push('text has an unescaped &');
  }
  const length = Array.from(mode === 'HTML' ? visibleText(text) : text).length;
  if (length < 1 || length > TEXT_LIMIT)
    problems.push(
      `text is ${length} characters after entity parsing, the limit is 1-${TEXT_LIMIT}`,
    );
  return problems;
}

/** The text as shown: tags removed and entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(HTML_TAG, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&amp;/g, '&');
}
