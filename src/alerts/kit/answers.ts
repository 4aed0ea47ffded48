import { ChannelError, type ChannelContext, type SendReceipt } from '../types.ts';
import { refusal, type HttpAnswer } from './http-sender.ts';
import { maskSecrets } from './secrets.ts';

/** How much of an accepted answer a receipt keeps. */
const RECEIPT_CHARS = 200;

/** A receipt for an accepted answer: its status and a masked excerpt (masked before cutting). */
export function receiptOf(
  answer: HttpAnswer,
  secrets: readonly string[],
  providerRef?: string,
): SendReceipt {
  const excerpt = maskSecrets(answer.text.replace(/\s+/g, ' ').trim(), secrets).slice(
    0,
    RECEIPT_CHARS,
  );
  return {
    status: answer.status,
    answer: excerpt,
    ...(providerRef === undefined ? {} : { providerRef }),
  };
}

/**
 * A refusal for an answer the channel accepted to read first (`accept`), classified by the
 * kit's status rules. Some providers say how long to wait in the body rather than in
 * `Retry-After` (Telegram `parameters.retry_after`, Matrix `retry_after_ms`): `bodyWaitMs`
 * carries that wait when the header gave none.
 */
export function refusalOf(
  answer: HttpAnswer,
  provider: string,
  ctx: Pick<ChannelContext, 'secrets'>,
  bodyWaitMs?: number,
): ChannelError {
  const error = refusal(answer, provider, (text) => maskSecrets(text, ctx.secrets));
  if (error.retryAfterMs !== undefined || bodyWaitMs === undefined || !error.retryable) {
    return error;
  }
  return new ChannelError(error.message, {
    retryable: true,
    retryAfterMs: bodyWaitMs,
    ...(error.status === undefined ? {} : { status: error.status }),
  });
}

/**
 * A provider that answered 2xx but reported a failure in its body (Telegram `ok:false`,
 * Pushover `status:0`, Vonage `status != "0"`). Final unless the provider documents the
 * reported failure as temporary.
 */
export function bodyFailure(
  provider: string,
  status: number,
  reason: string,
  ctx: Pick<ChannelContext, 'secrets'>,
  retryable = false,
): ChannelError {
  const said = maskSecrets(reason.replace(/\s+/g, ' ').trim(), ctx.secrets).slice(0, 300);
  return new ChannelError(`${provider} answered ${status} but refused the message: ${said}`, {
    retryable,
    status,
  });
}

/**
 * The same as `bodyFailure`, for channels that hold the whole answer (Slack `ok:false`,
 * DingTalk `errcode`, Lark `code`).
 */
export function answeredError(
  provider: string,
  answer: HttpAnswer,
  detail: string,
  options: { secrets: readonly string[]; retryable?: boolean },
): ChannelError {
  return bodyFailure(provider, answer.status, detail, options, options.retryable ?? false);
}

/** A number of seconds from a provider's body as milliseconds; undefined when absent. */
export function secondsAsMs(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.round(value * 1000)
    : undefined;
}
