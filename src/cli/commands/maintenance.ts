import { Command } from 'commander';
import { validationError } from '../../lib/errors.ts';
import { formatDuration } from '../../lib/duration.ts';
import {
  createMaintenance,
  deleteMaintenance,
  getMaintenance,
  listMaintenance,
  updateMaintenance,
} from '../../operations/maintenance-ops.ts';
import type { MaintenanceView } from '../../services/maintenance-service.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import type { Output } from '../output.ts';
import { isoTime, printWarnings, renderTable } from '../output.ts';

// Edit's list flags have no default (absent: the list stays), so `previous` may be undefined.
const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

interface AddFlags {
  monitor: string[];
  group: string[];
  tag: string[];
  node: string[];
  start?: string;
  end?: string;
  cron?: string;
  duration?: string;
  tz?: string;
  from?: string;
  until?: string;
  reason?: string;
  json?: boolean;
}

/** The schedule and reason flags as input fields (undefined when not given). */
function timeFields(opts: Partial<AddFlags>) {
  return {
    startsAt: opts.start,
    endsAt: opts.end,
    cron: opts.cron,
    durationMs: opts.duration,
    timezone: opts.tz,
    from: opts.from,
    until: opts.until,
    reason: opts.reason,
  };
}

type EditFlags = Partial<AddFlags> & { name?: string; unset?: string[] };

const UNSETTABLE = ['from', 'until', 'reason'] as const;

/** The update for `maintenance edit`: the flags given, `--unset` fields as null. */
function editBody(id: string, opts: EditFlags) {
  const unknown = (opts.unset ?? []).filter((f) => !(UNSETTABLE as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw validationError(
      unknown.map((f) => ({ path: '--unset', message: `${f}: only ${UNSETTABLE.join(', ')}` })),
    );
  const given = {
    name: opts.name,
    monitors: opts.monitor,
    groups: opts.group,
    tags: opts.tag,
    nodes: opts.node,
    ...timeFields(opts),
  };
  const cleared = Object.fromEntries((opts.unset ?? []).map((field) => [field, null]));
  return {
    id,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
    ...cleared,
  };
}

/** "nightly 0 22 * * * (Europe/Berlin), 2h" or "once". */
function scheduleText(w: MaintenanceView): string {
  const s = w.schedule;
  if (s.kind === 'once') return 'once';
  return `${s.cron} (${s.timezone}), ${formatDuration(s.durationMs)}`;
}

function scopeText(w: MaintenanceView): string {
  const { monitors, groups, tags, nodes } = w.scope;
  return [
    ...monitors.map((m) => `monitor ${m}`),
    ...groups.map((g) => `group ${g}`),
    ...tags.map((t) => `tag ${t}`),
    ...nodes.map((n) => `node ${n}`),
  ].join(', ');
}

/** "now, until <end>", "<start> – <end>" or "-" when no occurrence is left. */
function nextText(w: MaintenanceView): string {
  if (w.next === null) return '-';
  if (w.active) return `now, until ${isoTime(w.next.end)}`;
  return `${isoTime(w.next.start)} – ${isoTime(w.next.end)}`;
}

function printWindow(out: Output, w: MaintenanceView): void {
  const rows: [string, string][] = [
    ['id', w.id],
    ['name', w.name],
    ['covers', scopeText(w)],
    ['schedule', scheduleText(w)],
    ['next', nextText(w)],
    ['reason', w.reason ?? '-'],
  ];
  for (const [key, value] of rows) out.line(`${`${key}:`.padEnd(10)}${value}`);
}

/** `crosscheck maintenance add|edit|list|show|delete`. */
export function maintenanceCommand(ctx: CliContext): Command {
  const maintenance = new Command('maintenance').description(
    'maintenance windows: checks keep running, nothing pages, the time is left out of uptime',
  );
  maintenance
    .command('add')
    .argument('<name>')
    .description('add a window: --start/--end once, or --cron/--duration/--tz recurring')
    .option('--monitor <id>', 'a monitor id (repeatable)', collect, [])
    .option('--group <group>', 'every monitor of a group (repeatable)', collect, [])
    .option('--tag <tag>', 'every monitor with a tag (repeatable)', collect, [])
    .option('--node <name>', 'a node: its node alerts are silenced (repeatable)', collect, [])
    .option('--start <time>', 'one-off start, ISO 8601 with Z or an offset')
    .option('--end <time>', 'one-off end, ISO 8601 with Z or an offset')
    .option('--cron <expr>', 'recurring: cron expression, e.g. "0 22 * * *"')
    .option('--duration <d>', 'recurring: how long each occurrence lasts, e.g. 2h')
    .option('--tz <zone>', 'recurring: IANA time zone of the cron expression (default UTC)')
    .option('--from <time>', 'recurring: no occurrence before this')
    .option('--until <time>', 'recurring: no occurrence from this on')
    .option('--reason <text>', 'why (shown with the window)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: AddFlags, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const optional = timeFields(opts);
        const window = await backend.call(createMaintenance, {
          name,
          monitors: opts.monitor,
          groups: opts.group,
          tags: opts.tag,
          nodes: opts.node,
          ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
        });
        if (opts.json) return ctx.out.json(window);
        ctx.out.line(
          `Added maintenance window ${window.name} (${window.id}); next: ${nextText(window)}`,
        );
      });
    });
  maintenance
    .command('edit')
    .argument('<id|name>')
    .description(
      'change a window (only the flags given; a list flag replaces that list; --start/--end or --cron switch its kind)',
    )
    .option('--name <name>', 'a new name')
    .option('--monitor <id>', 'a monitor id (repeatable; replaces the monitors)', collect)
    .option('--group <group>', 'a group (repeatable; replaces the groups)', collect)
    .option('--tag <tag>', 'a tag (repeatable; replaces the tags)', collect)
    .option('--node <name>', 'a node (repeatable; replaces the nodes)', collect)
    .option('--start <time>', 'one-off start, ISO 8601 with Z or an offset')
    .option('--end <time>', 'one-off end, ISO 8601 with Z or an offset')
    .option('--cron <expr>', 'recurring: cron expression')
    .option('--duration <d>', 'recurring: how long each occurrence lasts')
    .option('--tz <zone>', 'recurring: IANA time zone of the cron expression')
    .option('--from <time>', 'recurring: no occurrence before this')
    .option('--until <time>', 'recurring: no occurrence from this on')
    .option('--reason <text>', 'why (an empty text clears it)')
    .option('--unset <field>', 'clear from, until or reason (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (id: string, opts: EditFlags, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const window = await backend.call(updateMaintenance, editBody(id, opts));
        printWarnings(ctx.out, window);
        if (opts.json) return ctx.out.json(window);
        ctx.out.line(
          `Updated maintenance window ${window.name} (${window.id}); next: ${nextText(window)}`,
        );
      });
    });
  maintenance
    .command('list')
    .description('list maintenance windows with their next occurrence')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const { items } = await backend.call(listMaintenance, {});
        if (opts.json) return ctx.out.json(items);
        if (items.length === 0) return ctx.out.line('No maintenance windows.');
        ctx.out.line(
          renderTable(
            ctx.out,
            ['NAME', 'COVERS', 'SCHEDULE', 'NEXT', 'ID'],
            items.map((w) => [w.name, scopeText(w), scheduleText(w), nextText(w), w.id]),
          ),
        );
      });
    });
  maintenance
    .command('show')
    .argument('<id|name>')
    .description('show one maintenance window')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const window = await backend.call(getMaintenance, { id });
        if (opts.json) return ctx.out.json(window);
        printWindow(ctx.out, window);
      });
    });
  maintenance
    .command('delete')
    .argument('<id|name>')
    .description('delete a maintenance window (incidents keep the window they opened in)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        printWarnings(ctx.out, await backend.call(deleteMaintenance, { id }));
        ctx.out.line(`Deleted maintenance window ${id}.`);
      });
    });
  return maintenance;
}
