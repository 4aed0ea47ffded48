import { describeRoute, isTargetRoute } from '../../domain/alert-target.ts';
import { Command } from 'commander';
import type { z } from 'zod';
import type { CheckType } from '../../checks/types.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { formatDuration } from '../../lib/duration.ts';
import { validationError } from '../../lib/errors.ts';
import {
  addCheckFlags,
  collectCheckOptions,
  collectRepeated,
  optionKeyForFlag,
  parseCheckType,
  withFlagNames,
} from '../check-flags.ts';
import type { CliContext } from '../context.ts';
import { monitorNames, withBackend } from '../context.ts';
import type { CliBackend } from '../backend.ts';
import { dependencyGroup } from '../../domain/dependencies.ts';
import { collectPages } from '../backend.ts';
import {
  createMonitor as createMonitorOp,
  deleteMonitor,
  getMonitor,
  listMonitors,
  pauseMonitor,
  resumeMonitor,
  updateMonitor,
} from '../../operations/monitor-ops.ts';
import type { Output } from '../output.ts';
import { isoTime, printWarnings, renderTable } from '../output.ts';
import { inferHttpFamilyType } from './http-family.ts';
import { monitorBulkCommand } from './monitor-bulk.ts';
import { monitorProbeCommand } from './probe.ts';
import {
  addMonitorFlags,
  applyUnset,
  monitorBodyFromFlags,
  withMonitorFlagNames,
} from './monitor-flags.ts';

function summary(monitor: Monitor): string {
  return `${monitor.name} (${monitor.type} ${monitor.target} every ${formatDuration(monitor.intervalMs)})`;
}

function describeSelector(selector: Monitor['nodes']): string {
  const parts = [
    ...(selector.regions.length > 0 ? [`region ${selector.regions.join(' or ')}`] : []),
    ...Object.entries(selector.labels).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.length > 0 ? parts.join(', ') : 'every node';
}

function describeDependency(entry: string, nameOf: (id: string) => string): string {
  if (dependencyGroup(entry) !== null) return entry;
  const name = nameOf(entry);
  return name === entry ? entry : `${name} (${entry})`;
}

/**
 * `--depends-on` takes names as well as ids: a name (exactly one monitor has it) becomes that
 * monitor's id; an entry naming nothing is left as given, for the operation to refuse by field.
 */
async function resolveDependencies(
  backend: CliBackend,
  body: Record<string, unknown>,
): Promise<void> {
  const entries = body.dependsOn;
  if (!Array.isArray(entries) || entries.length === 0) return;
  const monitors = await collectPages(backend, listMonitors, {});
  const ids = new Set(monitors.map((m) => m.id));
  const byName = new Map<string, string[]>();
  for (const m of monitors) byName.set(m.name, [...(byName.get(m.name) ?? []), m.id]);
  body.dependsOn = entries.map((entry: unknown) => {
    if (typeof entry !== 'string' || dependencyGroup(entry) !== null || ids.has(entry))
      return entry;
    const named = byName.get(entry) ?? [];
    if (named.length > 1)
      throw validationError([
        {
          path: '--depends-on',
          message: `${named.length} monitors are named "${entry}": give the id`,
        },
      ]);
    return named[0] ?? entry;
  });
}

function describeRoutes(routes: Monitor['alerts']): string {
  return (
    routes
      .map((a) =>
        isTargetRoute(a)
          ? describeRoute(a, formatDuration)
          : `${a.channel} ${JSON.stringify(a.settings)}`,
      )
      .join('; ') || '-'
  );
}

/** "majority of answering nodes" / "n_of_m: 3 failing nodes", with the responder minimum. */
function describeQuorum(policy: Monitor['consensus']): string {
  const rule = {
    majority: 'majority of answering nodes',
    n_of_m: `n_of_m: ${policy.requiredFailures ?? '?'} failing nodes`,
    percent: `percent: ${policy.requiredPercent ?? '?'} % of answering nodes`,
  }[policy.quorum];
  return `${rule}, at least ${policy.minResponders} answering`;
}

function printMonitor(out: Output, monitor: Monitor, nameOf: (id: string) => string): void {
  const rows: [string, string][] = [
    ['id', monitor.id],
    ['name', monitor.name],
    ['type', monitor.type],
    ['target', monitor.target],
    ['interval', formatDuration(monitor.intervalMs)],
    ['timeout', formatDuration(monitor.timeoutMs)],
    ['group', monitor.group ?? '-'],
    ['tags', monitor.tags.join(', ') || '-'],
    ['paused', monitor.paused ? 'yes' : 'no'],
    ['failure threshold', String(monitor.failureThreshold)],
    ['recovery threshold', String(monitor.recoveryThreshold)],
    ['degraded is down', monitor.degradedIsDown ? 'yes' : 'no'],
    ['options', Object.keys(monitor.options).length ? JSON.stringify(monitor.options) : '-'],
    ['alerts', describeRoutes(monitor.alerts)],
    ['regional alerts', describeRoutes(monitor.regionalAlerts)],
    ['alert cooldown', formatDuration(monitor.alertCooldownMs)],
    ['quorum', describeQuorum(monitor.consensus)],
    [
      'flapping',
      `more than ${monitor.consensus.flapChanges} changes in ${formatDuration(monitor.consensus.flapWindowMs)}`,
    ],
    ['runs on', describeSelector(monitor.nodes)],
    [
      'depends on',
      monitor.dependsOn.map((entry) => describeDependency(entry, nameOf)).join(', ') || '-',
    ],
    ['created', isoTime(monitor.createdAt)],
    ['updated', isoTime(monitor.updatedAt)],
  ];
  for (const [key, value] of rows) out.line(`${`${key}:`.padEnd(20)}${value}`);
}

/**
 * Builds the body for add/edit: monitor flags plus the check type's own flags. Returns the
 * check type the flags were read for, so errors can name the right flags.
 */
function bodyFor(
  command: Command,
  type: string | undefined,
): { body: Record<string, unknown>; checkType: CheckType | undefined } {
  const body = monitorBodyFromFlags(command);
  if (type === undefined) return { body, checkType: undefined };
  const given = parseCheckType(type, '--type');
  // `--type https --keyword …` means an https keyword check, as with `crosscheck check`.
  const checkType = inferHttpFamilyType(command, given);
  if (checkType !== given) body.type = checkType;
  const options = collectCheckOptions(command, checkType);
  if (Object.keys(options).length > 0) body.options = options;
  return { body, checkType };
}

function rethrowWithFlags(error: unknown, type: CheckType | undefined): never {
  throw withMonitorFlagNames(type === undefined ? error : withFlagNames(error, type));
}

/** `crosscheck monitor …`: add, list, show, edit, pause, resume, delete. */
export function monitorCommand(ctx: CliContext): Command {
  const monitor = new Command('monitor').description('manage monitors');

  const add = addMonitorFlags(new Command('add').description('add a monitor'))
    .option('--paused', 'create the monitor paused')
    .option('--json', 'print the created monitor as JSON');
  addCheckFlags(add);
  add.action(async (_opts: unknown, command: Command) => {
    const { type, json } = command.opts<{ type?: string; json?: boolean }>();
    const missing = (['name', 'type', 'target'] as const).filter(
      (f) => command.getOptionValue(f) === undefined,
    );
    if (missing.length)
      throw validationError(missing.map((f) => ({ path: `--${f}`, message: 'is required' })));
    await withBackend(command, ctx, async (backend) => {
      const { body, checkType } = bodyFor(command, type);
      await resolveDependencies(backend, body);
      const created = await backend
        // Flags build an untyped body on purpose: the operation's schema judges it, naming flags.
        .call(createMonitorOp, body as z.input<typeof createMonitorOp.input>)
        .catch((e: unknown) => rethrowWithFlags(e, checkType));
      if (json) ctx.out.json(created);
      else ctx.out.line(`Created monitor ${created.id}: ${summary(created)}`);
    });
  });

  const edit = addMonitorFlags(
    new Command('edit').argument('<id>').description('change a monitor (only the flags given)'),
  )
    .option(
      '--unset <name>',
      'clear a setting, repeatable: group, degraded-is-down, alert (or webhook: every route), regional-alert (or regional-webhook), consensus (back to the defaults), nodes, depends-on, or a check flag such as degraded-after, invert, header',
      collectRepeated,
    )
    .option('--json', 'print the monitor as JSON');
  addCheckFlags(edit);
  edit.action(async (id: string, _opts: unknown, command: Command) => {
    await withBackend(command, ctx, async (backend) => {
      const type =
        command.opts<{ type?: string }>().type ?? (await backend.call(getMonitor, { id })).type;
      const { body, checkType } = bodyFor(command, type);
      const unset = command.opts<{ unset?: string[] }>().unset ?? [];
      const typeForUnset = checkType ?? parseCheckType(type, '--type');
      applyUnset(body, unset, (name) => optionKeyForFlag(typeForUnset, name));
      await resolveDependencies(backend, body);
      if (Object.keys(body).length === 0)
        throw validationError([
          { path: 'flags', message: 'nothing to change: give at least one flag' },
        ]);
      const updated = await backend
        .call(updateMonitor, { id, patch: body })
        .catch((e: unknown) => rethrowWithFlags(e, checkType));
      printWarnings(ctx.out, updated);
      if (command.opts<{ json?: boolean }>().json) ctx.out.json(updated);
      else ctx.out.line(`Updated monitor ${updated.id}: ${summary(updated)}`);
    });
  });

  monitor
    .command('list')
    .description('list monitors')
    .option('--group <group>', 'only this group')
    .option('--tag <tag>', 'only monitors with this tag')
    .option('--json', 'print JSON')
    .action(async (opts: { group?: string; tag?: string; json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const list = await collectPages(backend, listMonitors, {
          ...(opts.group ? { group: opts.group } : {}),
          ...(opts.tag ? { tag: opts.tag } : {}),
        });
        if (opts.json) return ctx.out.json(list);
        if (list.length === 0)
          return ctx.out.line(
            'No monitors. Add one with: crosscheck monitor add --name … --type … --target …',
          );
        ctx.out.line(
          renderTable(
            ctx.out,
            ['ID', 'NAME', 'TYPE', 'TARGET', 'INTERVAL', 'GROUP', 'TAGS', 'STATE'],
            list.map((m) => [
              m.id,
              m.name,
              m.type,
              m.target,
              formatDuration(m.intervalMs),
              m.group ?? '-',
              m.tags.join(',') || '-',
              m.paused ? 'paused' : 'active',
            ]),
          ),
        );
      });
    });

  monitor
    .command('show')
    .argument('<id>')
    .description('show one monitor')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const found = await backend.call(getMonitor, { id });
        if (opts.json) ctx.out.json(found);
        else {
          const nameOf =
            found.dependsOn.length > 0 ? await monitorNames(backend) : (id: string) => id;
          printMonitor(ctx.out, found, nameOf);
        }
      });
    });

  for (const [verb, description] of [
    ['pause', 'stop checking and alerting'],
    ['resume', 'start checking again'],
  ] as const) {
    monitor
      .command(verb)
      .argument('<id>')
      .description(description)
      .option('--json', 'print the monitor as JSON')
      .action(async (id: string, opts: { json?: boolean }, command: Command) => {
        await withBackend(command, ctx, async (backend) => {
          const changed = await backend.call(verb === 'pause' ? pauseMonitor : resumeMonitor, {
            id,
          });
          printWarnings(ctx.out, changed);
          if (opts.json) ctx.out.json(changed);
          else
            ctx.out.line(
              `${verb === 'pause' ? 'Paused' : 'Resumed'} monitor ${changed.id} (${changed.name})`,
            );
        });
      });
  }

  monitor
    .command('delete')
    .argument('<id>')
    .description('delete a monitor with its history (its alerts stay in: alerts log)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        printWarnings(ctx.out, await backend.call(deleteMonitor, { id }));
        ctx.out.line(`Deleted monitor ${id}`);
      });
    });

  monitor.addCommand(add);
  monitor.addCommand(edit);
  monitor.addCommand(monitorProbeCommand(ctx));
  monitor.addCommand(monitorBulkCommand(ctx));
  return monitor;
}
