import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { AlertDelivery } from '../../domain/alert.ts';
import { systemClock } from '../../lib/clock.ts';
import { createAlertDispatcher } from '../dispatcher.ts';
import { createHttpSender } from '../kit/http-sender.ts';
import { secretValues } from '../kit/secrets.ts';
import type { AnyAlertChannel } from '../registry.ts';
import {
  ChannelError,
  type ChannelContext,
  type OutgoingAlert,
  type SendReceipt,
} from '../types.ts';
import { MemoryDeliveryStore } from './memory-delivery-store.ts';

// What the SMTP and command contract suites share: a channel context as the dispatcher builds
// it, one send that must fail, and one delivery through a real dispatcher with its log captured.

/** How a suite sends: its time limit, and the command allow-list when it tests commands. */
export interface SendOptions {
  timeoutMs: number;
  allowedCommands?: readonly string[];
}

/** The context the dispatcher would hand the channel for these settings. */
export function contractContext(
  channel: AnyAlertChannel,
  settings: unknown,
  options: SendOptions,
): ChannelContext {
  const signal = new AbortController().signal;
  const secrets = secretValues(channel.secrets, settings);
  return {
    signal,
    timeoutMs: options.timeoutMs,
    secrets,
    allowedCommands: options.allowedCommands ?? [],
    http: createHttpSender({
      provider: channel.title,
      signal,
      timeoutMs: options.timeoutMs,
      secrets,
    }),
  };
}

/** Parses the settings as the dispatcher does and sends one alert. */
export function sendThrough(
  channel: AnyAlertChannel,
  settings: unknown,
  alert: OutgoingAlert,
  options: SendOptions,
): Promise<SendReceipt> {
  const parsed = channel.settingsSchema.parse(settings);
  return channel.send(alert, parsed, contractContext(channel, parsed, options));
}

/** Sends one alert that must fail with a `ChannelError`, and returns it. */
export async function failureOf(
  channel: AnyAlertChannel,
  settings: unknown,
  alert: OutgoingAlert,
  options: SendOptions,
): Promise<ChannelError> {
  try {
    await sendThrough(channel, settings, alert, options);
  } catch (error) {
    assert.ok(error instanceof ChannelError, `expected a ChannelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the send to fail');
}

export function assertNoSecret(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${where} contains a secret`);
}

/**
 * Runs one delivery of `alert` through a real dispatcher (one attempt) with a trace-level
 * log, and returns the stored delivery and every log line.
 */
export async function dispatchOnce(
  channel: AnyAlertChannel,
  settings: unknown,
  alert: OutgoingAlert,
  options: SendOptions,
): Promise<{ stored: AlertDelivery | undefined; logLines: string[] }> {
  const logLines: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  const store = new MemoryDeliveryStore();
  store.add({
    id: 'd-1',
    deliveryKey: alert.idempotencyKey,
    monitorId: 'mon-api',
    incidentId: 'inc-0193a1',
    nodeId: null,
    followsId: null,
    target: null,
    channel: channel.type,
    settings: channel.settingsSchema.parse(settings) as Record<string, unknown>,
    event: alert.event,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    reason: 'new-incident',
    lastError: null,
    providerRef: null,
    createdAt: 0,
    sentAt: null,
  });
  await new Promise<void>((resolve) => {
    const dispatcher = createAlertDispatcher({
      store,
      clock: systemClock,
      logger,
      channels: (type) => (type === channel.type ? channel : undefined),
      sendTimeoutMs: options.timeoutMs,
      allowedCommands: options.allowedCommands ?? [],
      retry: { maxAttempts: 1 },
      onRecorded: () => {
        void dispatcher.stop().then(resolve);
      },
    });
    dispatcher.start();
  });
  return { stored: store.get('d-1'), logLines };
}
