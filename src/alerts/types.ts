import type { z } from 'zod';
import type { AlertEvent } from '../domain/alert.ts';
import type { HttpSender } from './kit/http-sender.ts';
import type { AlertMessage } from './kit/message.ts';
import type { SecretKind } from './kit/secrets.ts';

/** What kind of service a channel talks to; groups channels in help and docs. */
export type ChannelCategory =
  'webhook' | 'chat' | 'email' | 'sms' | 'push' | 'incident' | 'issue' | 'automation';

/** One alert as a channel sends it: the event, its rendered message and its provider keys. */
export interface OutgoingAlert {
  event: AlertEvent;
  /** Title, text and evidence, rendered once (from the target's template when it has one). */
  message: AlertMessage;
  /** `firing` for openings and node trouble; `resolved` for recoveries, retractions, node back. */
  status: 'firing' | 'resolved';
  /**
   * The key a provider deduplicates on: one per incident (monitor alerts) or per node trouble
   * episode kind, so an opening and its closing name the same provider-side alert.
   */
  dedupKey: string;
  /** Unique per delivery; channels pass it where the provider accepts one. */
  idempotencyKey: string;
  /** What the opening's send returned as its provider reference (a GitHub issue number…). */
  openingRef: string | null;
}

/** What a send may use besides its settings. */
export interface ChannelContext {
  /** Aborted when the dispatcher shuts down; the send must then settle promptly. */
  signal: AbortSignal;
  /** Time limit for one request when the channel's settings do not set their own. */
  timeoutMs: number;
  /** HTTP client with the kit's answer rules (retryable or final, Retry-After, masking). */
  http: HttpSender;
  /** Values that must never appear in an error, answer or log (the target's secret settings). */
  secrets: readonly string[];
  /** Configured allow-list for the command channel (the node's local config); empty otherwise. */
  allowedCommands: readonly string[];
}

/** What the provider said to a successful send; shown by `alerts target test`. */
export interface SendReceipt {
  /** HTTP status (or SMTP code, or exit code) of the provider's answer. */
  status: number | null;
  /** A short, masked excerpt of the answer. */
  answer: string;
  /** What a closing alert needs to find the opening's object (an issue number, a message id). */
  providerRef?: string;
}

/** Provider rules the dispatcher applies on top of its own (more attempts for pagers…). */
export interface ChannelRetryRules {
  /** Attempts, the first included, before the delivery is `failed`. */
  maxAttempts?: number;
}

/**
 * One alert channel: the settings schema (the stored JSON shape; exported as JSON Schema for
 * forms, config files and docs), which settings are secret, how it sends one alert, and the
 * provider's retry rules. A channel folder exports exactly one of these.
 */
export interface ChannelDefinition<Settings> {
  type: string;
  /** The provider's name as people write it. */
  title: string;
  /** One line for `--help` and docs. */
  description: string;
  category: ChannelCategory;
  /** The provider documentation the request follows; shown on the channel's docs page. */
  docsUrl: string;
  settingsSchema: z.ZodType<Settings>;
  /** Settings that are secret, by top-level key; masked in every answer, log and output. */
  secrets: Readonly<Partial<Record<string, SecretKind>>>;
  /**
   * Delivers one alert. Resolves with the provider's answer when it accepted it; otherwise
   * throws a `ChannelError` saying whether a retry could help. Must settle within its timeout.
   */
  send(alert: OutgoingAlert, settings: Settings, ctx: ChannelContext): Promise<SendReceipt>;
  retry?: ChannelRetryRules;
  /** Only admins may create targets of this channel (it runs things on the node). */
  adminOnly?: boolean;
}

export { REDACTED, type SecretKind } from './kit/secrets.ts';

export { ChannelError, isChannelError } from './channel-error.ts';
