import { ChannelError, type SendReceipt } from '../types.ts';
import type { HttpAnswer } from './http-sender.ts';
import { maskSecrets } from './secrets.ts';

/** How much of an accepted answer a receipt keeps: enough to recognise it, never a whole body. */
const RECEIPT_CHARS = 200;

/** An accepted answer as a receipt: status, a short masked excerpt and the provider's reference. */
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
 * A refusal a provider reports inside a 2xx answer (Slack `ok:false`, DingTalk `errcode`, Lark
 * `code`), as a `ChannelError`. Final unless the provider documents the code as a rate limit or
 * a transient fault; the detail is masked, since providers may echo what they were sent.
 */
export function answeredError(
  provider: string,
  answer: HttpAnswer,
  detail: string,
  options: { secrets: readonly string[]; retryable?: boolean },
): ChannelError {
  return new ChannelError(
    maskSecrets(`${provider} refused the message: ${detail.slice(0, 300)}`, options.secrets),
    { retryable: options.retryable ?? false, status: answer.status },
  );
}
