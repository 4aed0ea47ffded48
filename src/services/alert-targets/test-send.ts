import { createHttpSender } from '../../alerts/kit/http-sender.ts';
import { alertDedupKey, alertStatus, renderAlertMessage } from '../../alerts/kit/message.ts';
import { maskSecrets, secretValues } from '../../alerts/kit/secrets.ts';
import { findChannel } from '../../alerts/registry.ts';
import { isChannelError, type OutgoingAlert } from '../../alerts/types.ts';
import type { MonitorAlertEvent } from '../../domain/alert.ts';
import type { AlertTarget } from '../../domain/alert-target.ts';

/** What `alerts target test` reports: the provider's answer, or why the send failed. */
export type TestSendResult =
  | { ok: true; status: number | null; answer: string }
  | { ok: false; status: number | null; retryable: boolean; error: string };

export interface TestSendOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  allowedCommands?: readonly string[];
  publicUrl?: string | null;
}

/** Sends a clearly marked sample alert through a target and returns the provider's answer. */
export async function sendTestAlert(
  target: AlertTarget,
  options: TestSendOptions,
): Promise<TestSendResult> {
  const channel = findChannel(target.type);
  if (channel === undefined) {
    return {
      ok: false,
      status: null,
      retryable: false,
      error: `unknown alert channel "${target.type}"`,
    };
  }
  const parsed = channel.settingsSchema.safeParse(target.settings);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    return {
      ok: false,
      status: null,
      retryable: false,
      error: `invalid channel settings at ${fields.join(', ')}`,
    };
  }
  const secrets = secretValues(channel.secrets, parsed.data);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const event = sampleEvent(target.name, Date.now());
  const alert: OutgoingAlert = {
    event,
    message: renderAlertMessage(event, options.publicUrl ?? null),
    status: alertStatus(event),
    dedupKey: alertDedupKey(event),
    idempotencyKey: event.idempotencyKey,
    openingRef: null,
  };
  try {
    const receipt = await channel.send(alert, parsed.data, {
      signal: options.signal,
      timeoutMs,
      secrets,
      allowedCommands: options.allowedCommands ?? [],
      http: createHttpSender({
        provider: channel.title,
        signal: options.signal,
        timeoutMs,
        secrets,
      }),
    });
    return { ok: true, status: receipt.status, answer: maskSecrets(receipt.answer, secrets) };
  } catch (error) {
    if (isChannelError(error)) {
      return {
        ok: false,
        status: error.status ?? null,
        retryable: error.retryable,
        error: maskSecrets(error.message, secrets),
      };
    }
    return {
      ok: false,
      status: null,
      retryable: true,
      error: 'internal error in the alert channel',
    };
  }
}

/** A test alert nobody can mistake for a real outage. */
function sampleEvent(targetName: string, now: number): MonitorAlertEvent {
  const id = `test-${now}`;
  return {
    kind: 'down',
    idempotencyKey: `crosscheck-test:${targetName}:${now}:down`,
    monitor: {
      id: 'crosscheck-test',
      name: 'Crosscheck test alert',
      type: 'http',
      target: 'https://crosscheck.test/',
      group: null,
      tags: ['test'],
    },
    incident: { id, startedAt: now, endedAt: null, durationMs: null, cause: 'test alert' },
    verdict: 'down',
    regions: [],
    evidence: [],
    message: `This is a test alert sent to the target "${targetName}" by crosscheck alerts target test. No monitor is down.`,
    occurredAt: now,
  };
}
