import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import packageJson from '../../../../package.json' with { type: 'json' };
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../../test/helpers/webhook-receiver.ts';
import type { AlertEvent } from '../../../domain/alert.ts';
import { createHttpSender } from '../../kit/http-sender.ts';
import { secretValues } from '../../kit/secrets.ts';
import { sampleOutgoing } from '../../testing/sample-alerts.ts';
import { ChannelError, type ChannelContext } from '../../types.ts';
import { webhookChannel, type WebhookSettings } from './index.ts';

const SECRET = 'a-very-secret-signing-key';

const event: AlertEvent = {
  kind: 'down',
  idempotencyKey: 'mon-1:inc-1:down',
  monitor: {
    id: 'mon-1',
    name: 'API',
    type: 'http',
    target: 'http://127.0.0.1/',
    group: 'prod',
    tags: ['api'],
  },
  incident: {
    id: 'inc-1',
    startedAt: 1_767_225_540_000,
    endedAt: null,
    durationMs: null,
    cause: 'HTTP 503',
  },
  verdict: 'down',
  regions: [],
  evidence: [
    { node: 'fra-1', region: 'eu-west', outcome: 'fail', message: 'HTTP 503', latencyMs: 12 },
    { node: 'nyc-1', region: 'us-east', outcome: 'fail', message: 'HTTP 503', latencyMs: 80 },
    { node: 'sfo-1', region: 'us-west', outcome: 'no-answer', message: '', latencyMs: null },
  ],
  message: 'down: 2 of 2 answering nodes fail (HTTP 503)',
  occurredAt: 1_767_225_600_000,
};

/** One event of every other kind, in the shapes docs/alerts/webhook.md shows. */
const otherEvents: AlertEvent[] = [
  {
    ...event,
    kind: 'regional',
    idempotencyKey: 'mon-1:inc-2:regional',
    incident: { ...(event.incident ?? assert.fail()), id: 'inc-2' },
    verdict: 'regional',
    regions: ['eu-west'],
    message: 'down from eu-west only',
  },
  {
    ...event,
    kind: 'recovered',
    idempotencyKey: 'mon-1:inc-1:recovered',
    incident: {
      ...(event.incident ?? assert.fail()),
      endedAt: 1_767_225_900_000,
      durationMs: 360_000,
    },
    verdict: 'up',
    message: 'recovered: 3 of 3 answering nodes see it up',
  },
  {
    ...event,
    kind: 'flapping',
    idempotencyKey: 'mon-1:flapping:1767225600000',
    incident: null,
    verdict: 'up',
    message: 'flapping: 5 confirmed changes in 30m; further changes page nobody until it settles',
  },
  {
    kind: 'node-impaired',
    idempotencyKey: 'node:node-2:nev-9:impaired',
    node: { id: 'node-2', name: 'fra-1', region: 'eu-west' },
    from: 'healthy',
    to: 'impaired',
    message: 'node fra-1 (eu-west) is impaired: its votes disagree with the cluster',
    occurredAt: 1_767_225_600_000,
  },
];

function webhookContext(
  settings: WebhookSettings,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): ChannelContext {
  const signal = options.signal ?? new AbortController().signal;
  const timeoutMs = settings.timeoutMs ?? options.timeoutMs ?? 2000;
  const secrets = secretValues(webhookChannel.secrets, settings);
  return {
    signal,
    timeoutMs,
    secrets,
    allowedCommands: [],
    http: createHttpSender({ provider: 'webhook', signal, timeoutMs, secrets }),
  };
}

function send(
  settings: WebhookSettings,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
) {
  return webhookChannel.send(sampleOutgoing(event), settings, webhookContext(settings, options));
}

async function sendError(
  settings: WebhookSettings,
  options?: { signal?: AbortSignal },
): Promise<ChannelError> {
  try {
    await send(settings, options);
  } catch (error) {
    assert.ok(error instanceof ChannelError, `expected a ChannelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the send to fail');
}

/** A loopback port with nothing listening: bind port 0, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('webhook channel against a real receiver', () => {
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('POSTs the event as signed JSON with the documented headers', async () => {
    const before = receiver.requests.length;
    await send({ url: receiver.url, secret: SECRET, headers: { Authorization: 'Bearer xyz' } });
    const request = receiver.requests[before];
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/hook');
    assert.deepEqual(request.json, event);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['user-agent'], `crosscheck/${packageJson.version}`);
    assert.equal(request.headers['x-crosscheck-event'], 'down');
    assert.equal(request.headers['x-crosscheck-idempotency-key'], 'mon-1:inc-1:down');
    assert.equal(request.headers['authorization'], 'Bearer xyz');
    const timestamp = Number(request.headers['x-crosscheck-timestamp']);
    assert.ok(Math.abs(timestamp - Date.now() / 1000) < 60, 'timestamp is unix seconds, now');
    assert.equal(receiver.verifySignature(request, SECRET), true);
    assert.equal(receiver.verifySignature(request, 'some-other-secret-key'), false);
    assert.equal(
      receiver.verifySignature({ ...request, rawBody: request.rawBody + ' ' }, SECRET),
      false,
    );
  });

  it('sends every event kind as its JSON body with the kind in X-Crosscheck-Event', async () => {
    for (const other of otherEvents) {
      const before = receiver.requests.length;
      const settings = { url: receiver.url, secret: SECRET };
      await webhookChannel.send(sampleOutgoing(other), settings, webhookContext(settings));
      const request = receiver.requests[before];
      assert.ok(request);
      assert.deepEqual(request.json, other);
      assert.equal(request.headers['x-crosscheck-event'], other.kind);
      assert.equal(request.headers['x-crosscheck-idempotency-key'], other.idempotencyKey);
      assert.equal(receiver.verifySignature(request, SECRET), true);
    }
  });

  it('sends no signature header without a secret', async () => {
    const before = receiver.requests.length;
    await send({ url: receiver.url });
    const request = receiver.requests[before];
    assert.equal(request?.headers['x-crosscheck-signature'], undefined);
    assert.equal(request?.headers['x-crosscheck-timestamp'] !== undefined, true);
  });

  it('classifies 5xx, 408 and 429 as retryable and other 4xx as final', async () => {
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [408, true],
      [429, true],
      [400, false],
      [401, false],
      [404, false],
    ] as const) {
      receiver.failNext(1, status);
      const error = await sendError({ url: receiver.url, secret: SECRET });
      assert.equal(error.status, status);
      assert.equal(error.retryable, retryable, `status ${status}`);
      assert.equal(error.message, `webhook answered ${status}: planned failure ${status}`);
    }
  });

  it('passes a Retry-After on to the dispatcher', async () => {
    receiver.respondNext(1, 429, { headers: { 'retry-after': '7' } });
    const error = await sendError({ url: receiver.url });
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 7000);
  });

  it('does not follow a redirect: final error naming the target, one request only', async () => {
    const before = receiver.requests.length;
    receiver.respondNext(1, 302, { headers: { location: `${receiver.url}/moved?token=hidden` } });
    const error = await sendError({ url: receiver.url });
    assert.equal(error.retryable, false);
    assert.equal(error.status, 302);
    assert.match(
      error.message,
      /302 redirect to http:\/\/127\.0\.0\.1:\d+\/hook\/moved; redirects are not followed/,
    );
    assert.doesNotMatch(error.message, /hidden/);
    assert.equal(receiver.requests.length, before + 1);
  });

  it('times out against a hanging receiver, retryably, well before the test would', async () => {
    receiver.hangNext(1);
    const started = performance.now();
    const error = await sendError({ url: receiver.url, timeoutMs: 150 });
    assert.equal(error.retryable, true);
    assert.equal(error.message, 'webhook timed out after 150ms');
    assert.ok(performance.now() - started < 5000);
  });

  it('stops at once when the dispatcher aborts', async () => {
    receiver.hangNext(1);
    const controller = new AbortController();
    const pending = sendError(
      { url: receiver.url, timeoutMs: 10_000 },
      { signal: controller.signal },
    );
    await receiver.waitForRequests(receiver.requests.length + 1);
    controller.abort();
    const error = await pending;
    assert.equal(error.retryable, true);
    assert.equal(error.message, 'send aborted: dispatcher is stopping');
  });

  it('reports a refused connection on a closed loopback port as retryable', async () => {
    const port = await closedPort();
    const error = await sendError({ url: `http://127.0.0.1:${port}/hook`, secret: SECRET });
    assert.equal(error.retryable, true);
    assert.equal(
      error.message,
      `webhook request to http://127.0.0.1:${port}/hook failed: connection refused`,
    );
  });

  it('never puts the secret or header values in an error', async () => {
    receiver.failNext(1, 400);
    const error = await sendError({
      url: receiver.url,
      secret: SECRET,
      headers: { 'X-Token': 'hdr-secret' },
    });
    const text = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
    assert.ok(!text.includes(SECRET));
    assert.ok(!text.includes('hdr-secret'));
  });

  it('sends a rendered body template instead of the event JSON, signed over its exact bytes', async () => {
    const before = receiver.requests.length;
    await send({ url: receiver.url, secret: SECRET, bodyTemplate: SLACK_LIKE_TEMPLATE });
    const request = receiver.requests[before];
    assert.ok(request);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-crosscheck-idempotency-key'], 'mon-1:inc-1:down');
    assert.deepEqual(request.json, {
      text: 'DOWN: API',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: event.message } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'fra-1: HTTP 503' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'nyc-1: HTTP 503' }] },
      ],
    });
    assert.equal(receiver.verifySignature(request, SECRET), true);
  });

  it('sends a templated body with its own content type', async () => {
    const before = receiver.requests.length;
    await send({
      url: receiver.url,
      bodyTemplate: '{{ monitor.name }} is {{ kind }} since {{ started }}',
      contentType: 'text/plain; charset=utf-8',
    });
    const request = receiver.requests[before];
    assert.equal(request?.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(request?.rawBody, 'API is down since 2025-12-31T23:59:00.000Z');
  });

  it('fails for good, sending nothing, when a JSON body template renders broken JSON', async () => {
    const before = receiver.requests.length;
    const error = await sendError({ url: receiver.url, bodyTemplate: '{"text": {{ title }}}' });
    assert.equal(error.retryable, false);
    assert.equal(error.message, 'body template did not render valid JSON');
    assert.equal(receiver.requests.length, before);
  });

  it('fails for good when the body template hits a render limit', async () => {
    const error = await sendError({
      url: receiver.url,
      bodyTemplate: '{% for i in (1..100000000) %}{{ i }}{% endfor %}',
    });
    assert.equal(error.retryable, false);
    assert.match(error.message, /^body template failed: line 1, column 1: memory alloc limit/);
  });
});

/** A Slack incoming-webhook body, built with the `json` filter so every value is escaped. */
const SLACK_LIKE_TEMPLATE = `{
  "text": {{ title | json }},
  "blocks": [
    {"type": "section", "text": {"type": "mrkdwn", "text": {{ message | json }}}}
    {%- for n in agreeing_nodes -%}
    , {"type": "context", "elements": [{"type": "mrkdwn", "text": {{ n.node | append: ": " | append: n.message | json }}}]}
    {%- endfor %}
  ]
}`;
