import { maskSecrets } from '../../kit/secrets.ts';
import {
  ChannelError,
  type ChannelContext,
  type ChannelDefinition,
  type OutgoingAlert,
  type SendReceipt,
} from '../../types.ts';
import { runCommand, type CommandOutcome } from './run-command.ts';
import { commandSettingsSchema, type CommandSettings } from './settings.ts';

export type { CommandSettings } from './settings.ts';

/** sysexits.h EX_TEMPFAIL: "temporary failure, try again later" — the one retryable exit. */
const EX_TEMPFAIL = 75;
const EXCERPT_CHARS = 300;

/** Runs an allow-listed executable with the alert as JSON on stdin. */
export const commandChannel: ChannelDefinition<CommandSettings> = {
  type: 'command',
  title: 'Command',
  description: 'Run an allow-listed executable on the node with the alert as JSON on stdin',
  category: 'automation',
  docsUrl: 'https://man.freebsd.org/cgi/man.cgi?query=sysexits&sektion=3',
  settingsSchema: commandSettingsSchema,
  secrets: { env: 'secret-values' },
  adminOnly: true,
  send: sendCommand,
};

async function sendCommand(
  alert: OutgoingAlert,
  settings: CommandSettings,
  ctx: ChannelContext,
): Promise<SendReceipt> {
  if (!ctx.allowedCommands.includes(settings.command)) {
    throw new ChannelError(
      `command ${settings.command} is not allow-listed in this node's local config (alertCommands in node.json)`,
      { retryable: false },
    );
  }
  const timeoutMs = settings.timeoutMs ?? ctx.timeoutMs;
  const outcome = await runCommand({
    executable: settings.command,
    args: settings.args,
    // Only what the target sets, plus a PATH: the node's own environment may hold secrets.
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...settings.env },
    stdin: JSON.stringify({
      event: alert.event,
      message: alert.message,
      status: alert.status,
      dedupKey: alert.dedupKey,
      idempotencyKey: alert.idempotencyKey,
    }),
    timeoutMs,
    signal: ctx.signal,
  });
  return receiptOf(outcome, settings.command, timeoutMs, (text) => maskSecrets(text, ctx.secrets));
}

function receiptOf(
  outcome: CommandOutcome,
  command: string,
  timeoutMs: number,
  mask: (text: string) => string,
): SendReceipt {
  switch (outcome.kind) {
    case 'aborted':
      throw new ChannelError('send aborted: dispatcher is stopping', { retryable: true });
    case 'timed-out':
      throw new ChannelError(`command ${command} timed out after ${timeoutMs}ms and was killed`, {
        retryable: true,
      });
    case 'not-started':
      throw new ChannelError(`command ${command} could not be started: ${outcome.reason}`, {
        retryable: false,
      });
    case 'exited': {
      if (outcome.code === 0) {
        return { status: 0, answer: mask(excerpt(outcome.stdout)) };
      }
      const how =
        outcome.code === null
          ? `was killed by ${outcome.signal}`
          : `exited with code ${outcome.code}`;
      const stderr = excerpt(outcome.stderr);
      throw new ChannelError(mask(`command ${command} ${how}${stderr ? `: ${stderr}` : ''}`), {
        retryable: outcome.code === EX_TEMPFAIL,
        ...(outcome.code === null ? {} : { status: outcome.code }),
      });
    }
  }
}

function excerpt(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
}
