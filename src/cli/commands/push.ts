import { Command } from 'commander';
import { readDaemonInfo } from '../../app/daemon-lock.ts';
import { dataDirPaths } from '../../config/data-dir.ts';
import { AppError } from '../../lib/errors.ts';
import { listMonitors } from '../../operations/monitor-ops.ts';
import { monitorPushUrl } from '../../operations/push-ops.ts';
import type { CliBackend } from '../backend.ts';
import { collectPages } from '../backend.ts';
import type { CliContext } from '../context.ts';
import { dataDirOf, withBackend } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/** A ping that gets no answer within this long failed (a job's script must not hang). */
const PING_TIMEOUT_MS = 10_000;

interface PushFlags {
  fail?: boolean;
  start?: boolean;
  message?: string;
}

/**
 * `crosscheck push <url|monitor>`: sends a push monitor's ping. With a URL it only requests it
 * (for jobs on other machines: no login, no data dir); with a monitor's name or id it asks the
 * daemon for the monitor's ping URL first. Exit 0 when the ping was accepted, 1 when it could
 * not be delivered (unreachable, unknown token), 2 on bad input.
 */
export function pushCommand(ctx: CliContext): Command {
  return new Command('push')
    .description('ping a push (heartbeat) monitor: its URL, or its name or id via the daemon')
    .argument('<url|monitor>', 'the ping URL (http…/api/v1/push/<token>), or a monitor name or id')
    .option('--fail', 'report the run as failed (the monitor goes down at once)')
    .option('--start', 'signal that a run starts (down when no ping follows within grace)')
    .option('--message <text>', 'a short message kept with the ping (e.g. the error)')
    .action(async (what: string, flags: PushFlags, command: Command) => {
      if (flags.fail === true && flags.start === true)
        throw new AppError('VALIDATION', '--fail and --start cannot be combined');
      const base = isUrl(what) ? what : await resolveUrl(what, command, ctx);
      const answer =
        base === null
          ? {
              ok: false as const,
              problem:
                'no daemon runs on this data dir: pass the ping URL itself (crosscheck monitor push-url <monitor> shows it)',
            }
          : await send(signalUrl(base, flags));
      if (answer.ok) {
        ctx.out.line(
          flags.start === true
            ? 'start signalled'
            : flags.fail === true
              ? 'failure reported'
              : 'ping sent',
        );
        return;
      }
      ctx.out.error(`error: ${answer.problem}`);
      process.exitCode = EXIT.down;
    });
}

function isUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

/** The ping URL with the signal: `/start`, `/fail`, and the message as `msg`. */
export function signalUrl(base: string, flags: PushFlags): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new AppError('VALIDATION', `"${base}" is not a URL`);
  }
  if (!/\/api\/v1\/push\/[^/]+$/.test(url.pathname))
    throw new AppError('VALIDATION', `"${base}" is not a push URL (…/api/v1/push/<token>)`);
  if (flags.start === true) url.pathname += '/start';
  if (flags.fail === true) url.pathname += '/fail';
  if (flags.message !== undefined) url.searchParams.set('msg', flags.message);
  return url.toString();
}

/** The monitor's ping URL from the daemon; null when no daemon runs here (nothing to reach). */
async function resolveUrl(what: string, command: Command, ctx: CliContext): Promise<string | null> {
  const info = readDaemonInfo(dataDirPaths(dataDirOf(command, ctx)).daemonInfo);
  if (info === undefined) return null;
  const { path } = await withBackend(command, ctx, async (backend) =>
    backend.call(monitorPushUrl, { id: await monitorId(backend, what) }),
  );
  return new URL(path, info.apiUrl).toString();
}

async function monitorId(backend: CliBackend, what: string): Promise<string> {
  const monitors = await collectPages(backend, listMonitors, {});
  const found = monitors.find((m) => m.id === what) ?? monitors.find((m) => m.name === what);
  if (found === undefined)
    throw new AppError('VALIDATION', `no monitor named or with id "${what}"`);
  return found.id;
}

/** Requests the URL; never throws for an unreachable or refusing server. */
async function send(url: string): Promise<{ ok: true } | { ok: false; problem: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return { ok: true };
    if (response.status === 404)
      return { ok: false, problem: 'no push monitor has this URL (404)' };
    return { ok: false, problem: `the server answered HTTP ${response.status}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${PING_TIMEOUT_MS / 1000} s`
        : cause || String(error);
    return { ok: false, problem: `could not reach ${new URL(url).host}: ${reason}` };
  }
}
