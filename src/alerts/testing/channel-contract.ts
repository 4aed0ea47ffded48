import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { redactSettings, secretValues } from '../kit/secrets.ts';
import type { AnyAlertChannel } from '../registry.ts';
import type { HttpChannelFixture, ProviderRequest } from './channel-fixture.ts';
import { startProviderServer, type ProviderServer } from './provider-server.ts';
import { SAMPLE_EVENTS, sampleOutgoing } from './sample-alerts.ts';
import { assertNoSecret, dispatchOnce, failureOf, sendThrough } from './contract-support.ts';

/**
 * Time limit per request in the suite: generous, so a loaded CI machine never turns an answered
 * request into a timeout. The hang case alone uses a short one, as it always waits it out.
 */
const OPTIONS = { timeoutMs: 5_000 };
const HANG_OPTIONS = { timeoutMs: 400 };

function describeRequest(request: ProviderRequest): string {
  return `${request.method} ${request.path}`;
}

/**
 * The contract every HTTP channel passes against a local provider that checks the provider's
 * documented protocol: each sample alert accepted and meaning what it should, documented
 * examples accepted by the same checks, length limits kept, documented errors classified,
 * timeouts and refused connections retryable, and no secret in errors, answers, redacted
 * settings or logs.
 */
export function describeHttpChannelContract(
  channel: AnyAlertChannel,
  fixture: HttpChannelFixture,
): void {
  void describe(`channel ${channel.type}: contract`, () => {
    let provider: ProviderServer;
    let settings: unknown;

    void before(async () => {
      provider = await startProviderServer(fixture);
      settings = fixture.settings(provider.baseUrl);
    });
    void after(() => provider.close());

    void it('its settings parse, and every fixture secret is one of its declared secret settings', () => {
      const parsed = channel.settingsSchema.parse(settings);
      const declared = secretValues(channel.secrets, parsed);
      for (const secret of fixture.secrets) {
        assert.ok(
          declared.some((value) => value.includes(secret)),
          `secret "${secret.slice(0, 3)}…" is not declared secret`,
        );
      }
      assert.ok(fixture.docs.length > 0 && fixture.docs.every((d) => d.startsWith('https://')));
      z.toJSONSchema(channel.settingsSchema, { io: 'input', unrepresentable: 'any' });
    });

    void it('shows its settings with every secret masked', () => {
      const shown = JSON.stringify(
        redactSettings(channel.secrets, channel.settingsSchema.parse(settings)),
      );
      assertNoSecret(shown, fixture.secrets, 'redacted settings');
    });

    void it('has documented request examples, and the protocol checks accept them', () => {
      assert.ok(fixture.documentedExamples.length > 0, 'no documented examples');
      for (const example of fixture.documentedExamples) {
        const url = new URL(example.path, 'http://provider.local');
        const headers = Object.fromEntries(
          Object.entries(example.headers).map(([k, v]) => [k.toLowerCase(), v]),
        );
        const contentType = String(headers['content-type'] ?? '');
        const request: ProviderRequest = {
          method: example.method,
          path: url.pathname,
          query: url.searchParams,
          headers,
          rawBody: example.body,
          json: safeJson(example.body),
          form: contentType.startsWith('application/x-www-form-urlencoded')
            ? new URLSearchParams(example.body)
            : undefined,
        };
        assert.deepEqual(
          fixture.protocol(request),
          [],
          `documented example from ${example.source}`,
        );
      }
    });

    const sequence: [string, keyof typeof SAMPLE_EVENTS, keyof typeof SAMPLE_EVENTS | null][] = [
      ['down', 'down', null],
      ['recovered', 'recovered', 'down'],
      ['regional', 'regional', null],
      ['retracted', 'retracted', 'down'],
      ['degraded', 'degraded', null],
      ['degraded-ended', 'degradedEnded', 'degraded'],
      ['node-missing', 'nodeMissing', null],
      ['node-online', 'nodeOnline', 'nodeMissing'],
      ['a message past every length limit', 'huge', null],
    ];
    const refs = new Map<string, string | null>();
    for (const [label, key, opening] of sequence) {
      void it(`delivers ${label} as the provider documents it`, async () => {
        const alert = sampleOutgoing(
          SAMPLE_EVENTS[key],
          opening === null ? null : (refs.get(opening) ?? null),
        );
        const before = provider.requests.length;
        const receipt = await sendThrough(channel, settings, alert, OPTIONS);
        refs.set(key, receipt.providerRef ?? null);
        const made = provider.requests.slice(before);
        assert.ok(made.length > 0, 'no request reached the provider');
        for (const request of made) {
          assert.deepEqual(
            fixture.protocol(request),
            [],
            `protocol of ${describeRequest(request)}`,
          );
        }
        const last = made.at(-1);
        assert.ok(last !== undefined);
        assert.deepEqual(fixture.semantics(last, alert), [], `meaning of ${describeRequest(last)}`);
        assertNoSecret(receipt.answer, fixture.secrets, 'the receipt');
      });
    }

    for (const error of fixture.errors) {
      void it(`answers ${error.answer.status} (${error.why}): ${error.retryable ? 'retryable' : 'final'}`, async () => {
        provider.answerNext(error.answer);
        const failure = await failureOf(
          channel,
          settings,
          sampleOutgoing(SAMPLE_EVENTS.down),
          OPTIONS,
        );
        assert.equal(failure.retryable, error.retryable);
        assertNoSecret(failure.message, fixture.secrets, 'the error');
      });
    }

    void it('passes a 429 Retry-After on as a retryable wait', async () => {
      provider.answerNext({
        status: 429,
        headers: { 'retry-after': '7' },
        body: { error: 'rate limited' },
      });
      const failure = await failureOf(
        channel,
        settings,
        sampleOutgoing(SAMPLE_EVENTS.down),
        OPTIONS,
      );
      assert.equal(failure.retryable, true);
      assert.equal(failure.retryAfterMs, 7000);
    });

    void it('a provider that never answers is a retryable timeout', async () => {
      provider.hangNext();
      const failure = await failureOf(
        channel,
        settings,
        sampleOutgoing(SAMPLE_EVENTS.down),
        HANG_OPTIONS,
      );
      assert.equal(failure.retryable, true);
      assert.match(failure.message, /timed out/);
    });

    void it('never logs or stores a secret, even when the provider echoes it back', async () => {
      provider.answerNext({
        status: 400,
        body: { error: `bad request ${fixture.secrets.join(' ')}` },
      });
      const { stored, logLines } = await dispatchOnce(
        channel,
        settings,
        sampleOutgoing(SAMPLE_EVENTS.down),
        OPTIONS,
      );
      assert.equal(stored?.status, 'failed');
      assertNoSecret(JSON.stringify(stored?.lastError), fixture.secrets, 'the stored error');
      assertNoSecret(logLines.join('\n'), fixture.secrets, 'the log');
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
