import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { readDaemonInfo } from '../../app/daemon-lock.ts';
import { dataDirPaths } from '../../config/data-dir.ts';
import { AppError, ERROR_CODES } from '../../lib/errors.ts';
import type { CrosscheckEvent } from '../../services/events/event-types.ts';
import type { CliContext } from '../context.ts';
import { dataDirOf } from '../context.ts';
import { readSseFrames } from '../sse-reader.ts';
import { readApiToken } from '../backend.ts';

/** Wait before reconnecting after the stream ended or the network failed. */
const RECONNECT_MS = 2_000;

interface EventsOptions {
  monitor?: string[];
  group?: string[];
  types?: string;
  json?: boolean;
}

/** `crosscheck events`: prints live events until Ctrl-C, resuming after drops without gaps. */
export function eventsCommand(ctx: CliContext): Command {
  return new Command('events')
    .description(
      'stream live events (results, state changes, incidents, nodes, alerts) until Ctrl-C',
    )
    .option('--monitor <id...>', 'only events about these monitors')
    .option('--group <name...>', 'only events about monitors in these groups')
    .option(
      '--types <list>',
      'only these event types, comma-separated (e.g. result,incident.opened)',
    )
    .option('--json', 'print one JSON event per line')
    .action(async (opts: EventsOptions, command: Command) => {
      const paths = dataDirPaths(dataDirOf(command, ctx));
      const daemon = () => {
        const info = readDaemonInfo(paths.daemonInfo);
        return (
          info && {
            url: `${info.apiUrl}/api/v1/events${eventsQuery(opts)}`,
            token: readApiToken(paths.apiToken),
          }
        );
      };
      if (daemon() === undefined)
        throw new AppError(
          'UNAVAILABLE',
          'no daemon is running: events need the coordinator running',
        );
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await follow(ctx, daemon, opts.json === true, stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function eventsQuery(opts: EventsOptions): string {
  const params = new URLSearchParams();
  if (opts.monitor !== undefined) params.set('monitor', opts.monitor.join(','));
  if (opts.group !== undefined) params.set('group', opts.group.join(','));
  if (opts.types !== undefined) params.set('types', opts.types);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * Reads the stream, and on a drop (or a daemon restart) reconnects with the last id, so no event
 * is missed or repeated; across a restart the daemon answers `reset`.
 */
async function follow(
  ctx: CliContext,
  daemon: () => { url: string; token: string | undefined } | undefined,
  json: boolean,
  signal: AbortSignal,
): Promise<void> {
  let lastId: string | undefined;
  while (!signal.aborted) {
    try {
      // Read again each time: a restarted daemon may listen on another port.
      const target = daemon();
      if (target === undefined) throw new Error('no daemon running');
      const { url, token } = target;
      const response = await fetch(url, {
        headers: {
          accept: 'text/event-stream',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(lastId === undefined ? {} : { 'last-event-id': lastId }),
        },
        signal,
      });
      if (!response.ok || response.body === null) throw await refusal(response);
      for await (const frame of readSseFrames(response.body)) {
        if (frame.id !== undefined) lastId = frame.id;
        if (frame.event === 'reset')
          ctx.out.error('events: history lost across a restart or a long drop; reload state');
        else if (frame.event === 'overflow') ctx.out.error('events: fell behind; resuming');
        else print(ctx, JSON.parse(frame.data) as CrosscheckEvent & { id: string }, json);
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof AppError) throw error;
      ctx.out.error('events: connection lost; reconnecting');
    }
    await sleep(RECONNECT_MS, undefined, { signal }).catch(() => undefined);
  }
}

async function refusal(response: Response): Promise<AppError> {
  if (response.status === 404)
    return new AppError('UNAVAILABLE', 'this node serves no events: ask the coordinator');
  const body = (await response.json().catch(() => undefined)) as
    { error?: { code?: string; message?: string } } | undefined;
  const given = ERROR_CODES.find((c) => c === body?.error?.code);
  const code =
    given ??
    (response.status === 401 ? 'UNAUTHORIZED' : response.status === 403 ? 'FORBIDDEN' : 'INTERNAL');
  return new AppError(code, body?.error?.message ?? `daemon answered HTTP ${response.status}`);
}

function print(ctx: CliContext, event: CrosscheckEvent & { id: string }, json: boolean): void {
  if (json) return ctx.out.line(JSON.stringify(event));
  const time = new Date(event.at).toISOString().slice(11, 19);
  ctx.out.line(`${time}  ${event.type.padEnd(22)} ${describe(event)}`);
}

function describe(event: CrosscheckEvent): string {
  switch (event.type) {
    case 'result':
      return `${event.monitorId} from ${event.nodeId}: ${event.status} in ${Math.round(event.latencyMs)} ms`;
    case 'monitor.state':
      return `${event.monitorId}: ${event.from} -> ${event.to}${event.verdict === null ? '' : ` (verdict ${event.verdict})`}`;
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved': {
      const regions = event.regions.length > 0 ? ` [${event.regions.join(', ')}]` : '';
      const outcome = event.type === 'incident.resolved' ? ` ${event.outcome}` : '';
      return `${event.incidentId} on ${event.monitorId}: ${event.verdict}${regions}${outcome}`;
    }
    case 'incident.update.posted':
      return `${event.incidentId} on ${event.monitorId}: ${event.public ? 'update' : 'note'} (${event.status})`;
    case 'node.state':
      return `${event.nodeId}: ${event.from} -> ${event.to}`;
    case 'alert.decision':
      return `${event.kind} via ${event.route}: ${event.outcome}${event.reason === null ? '' : ` (${event.reason})`}`;
    case 'monitor.changed':
      return `${event.monitorId} ${event.change}`;
  }
}
