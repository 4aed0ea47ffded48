import type { CheckResult } from '../domain/check-result.ts';
import { withDeadline } from './deadline.ts';
import { effectiveTlsMode, parseMailTarget } from './mail-options.ts';
import type { MailOptions, MailTargetSpec } from './mail-options.ts';
import { describeMailProbe } from './mail-outcome.ts';
import { runMailProbe } from './mail-probe.ts';
import type { MailDialogue } from './mail-probe.ts';
import { downResult } from './outcome.ts';
import type { CheckContext } from './types.ts';

/** Runs one mail check of any of the three protocols: shared by smtp, imap and pop3. */
export async function runMailCheck(
  spec: MailTargetSpec,
  protocol: string,
  dialogue: MailDialogue,
  target: string,
  options: MailOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const address = parseMailTarget(spec, target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const probe = await withDeadline(ctx, (signal) =>
    runMailProbe(
      {
        host: address.host,
        port: address.port,
        mode: effectiveTlsMode(spec, address, options.tls),
        tls: { ca: options.ca, insecure: options.insecure === true },
        login:
          options.username === undefined || options.password === undefined
            ? undefined
            : { username: options.username, password: options.password },
        signal,
      },
      dialogue,
    ),
  );
  return describeMailProbe(probe, options, { protocol, started, ctx });
}
