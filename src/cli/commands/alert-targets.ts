import fs from 'node:fs';
import { Command } from 'commander';
import { listChannels } from '../../alerts/registry.ts';
import type { AlertRule } from '../../domain/alert-target.ts';
import { DEFAULT_MONITOR_EVENTS, MONITOR_EVENTS } from '../../domain/alert-target.ts';
import { formatDuration, parseDuration } from '../../lib/duration.ts';
import { validationError } from '../../lib/errors.ts';
import {
  addAlertRule,
  createAlertTarget,
  getAlertTarget,
  listAlertRules,
  listAlertTargets,
  testAlertTarget,
  updateAlertTarget,
} from '../../operations/alert-target-ops.ts';
import { EXIT } from '../exit-codes.ts';
import { collectPages } from '../backend.ts';
import { isoTime, printWarnings, renderTable } from '../output.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { settingsFromFlags } from './alert-target-flags.ts';

interface TargetFlags {
  type?: string;
  settingsJson?: string;
  templateTitle?: string;
  templateBodyFile?: string;
  noTemplate?: boolean;
  json?: boolean;
}

function channelHelp(): string {
  return listChannels()
    .map((c) => c.type)
    .join(', ');
}

/** Settings from `--settings-json` and the per-setting flags (flags win). */
function settingsOf(
  type: string,
  flags: TargetFlags,
  rest: readonly string[],
): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  if (flags.settingsJson !== undefined) {
    try {
      base = JSON.parse(flags.settingsJson) as Record<string, unknown>;
    } catch {
      throw validationError([{ path: '--settings-json', message: 'is not valid JSON' }]);
    }
  }
  return { ...base, ...settingsFromFlags(type, rest) };
}

function templateOf(flags: TargetFlags): { title?: string; body?: string } | null | undefined {
  if (flags.noTemplate === true) return null;
  const template: { title?: string; body?: string } = {};
  if (flags.templateTitle !== undefined) template.title = flags.templateTitle;
  if (flags.templateBodyFile !== undefined) {
    template.body = fs.readFileSync(
      flags.templateBodyFile === '-' ? 0 : flags.templateBodyFile,
      'utf8',
    );
  }
  return Object.keys(template).length === 0 ? undefined : template;
}

function withSettingFlags(command: Command): Command {
  return command
    .option('--settings-json <json>', 'every setting as one JSON object')
    .option('--template-title <liquid>', 'Liquid template for the message title')
    .option(
      '--template-body-file <file>',
      'Liquid template for the message body, from a file (- for stdin)',
    )
    .option('--json', 'print JSON')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      '\nChannel settings are flags named after the setting (--webhook-url U, --to a@x,b@y);\n' +
        'put a secret in a file and pass --<setting>-file F (- reads stdin).\n' +
        "Each channel's settings: crosscheck alerts channels, or docs/alerts/<type>.md.",
    );
}

/** `alerts target add|edit|list|test`: the hand-written parts; show and delete are derived. */
export function alertTargetCommand(ctx: CliContext): Command {
  const target = new Command('target').description(
    'named alert targets: add, edit, list, show, delete, test',
  );
  withSettingFlags(
    target
      .command('add <name>')
      .description('add a named alert target: a channel type and its settings')
      .requiredOption('--type <type>', `the channel: ${channelHelp()}`),
  ).action(async (name: string, flags: TargetFlags, command: Command) => {
    const type = flags.type ?? '';
    const template = templateOf(flags);
    const input = {
      name,
      type,
      settings: settingsOf(type, flags, command.args.slice(1)),
      ...(template === undefined ? {} : { template }),
    };
    await withBackend(command, ctx, async (backend) => {
      const created = await backend.call(createAlertTarget, input);
      if (flags.json === true) return ctx.out.json(created);
      ctx.out.line(
        `Added alert target ${created.name} (${created.type}). Try it: crosscheck alerts target test ${created.name}`,
      );
    });
  });
  withSettingFlags(
    target
      .command('edit <name>')
      .description('change some settings of a target (others keep their value) or its template')
      .option('--no-template', 'remove the target’s template'),
  ).action(async (name: string, flags: TargetFlags, command: Command) => {
    await withBackend(command, ctx, async (backend) => {
      const current = await backend.call(getAlertTarget, { name });
      const template = templateOf(flags);
      const updated = await backend.call(updateAlertTarget, {
        name,
        settings: settingsOf(current.type, flags, command.args.slice(1)),
        ...(template === undefined ? {} : { template }),
      });
      printWarnings(ctx.out, updated);
      if (flags.json === true) return ctx.out.json(updated);
      ctx.out.line(`Updated alert target ${updated.name}.`);
    });
  });
  target
    .command('list')
    .description('every alert target, secrets masked')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const { items } = await backend.call(listAlertTargets, {});
        if (flags.json === true) return ctx.out.json(items);
        if (items.length === 0) return ctx.out.line('No alert targets.');
        ctx.out.line(
          renderTable(
            ctx.out,
            ['NAME', 'TYPE', 'TEMPLATE', 'UPDATED'],
            items.map((t) => [
              t.name,
              t.type,
              t.template === null ? '-' : 'yes',
              isoTime(t.updatedAt),
            ]),
          ),
        );
      });
    });
  target
    .command('test <name>')
    .description('send a sample alert through a target and print the provider’s answer')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const result = await backend.call(testAlertTarget, { name });
        // A failed send is what a script running `test` needs to see: exit 1, like a check.
        if (!result.ok) process.exitCode = EXIT.down;
        if (flags.json === true) return ctx.out.json(result);
        const status = result.status === null ? '' : `, status ${result.status}`;
        ctx.out.line(
          result.ok
            ? `sent${status}, answer: ${result.answer || '(empty)'}`
            : `failed${status}${result.retryable ? ' (would be retried)' : ''}: ${result.error}`,
        );
      });
    });
  return target;
}

interface RouteFlags {
  group?: string;
  tag?: string;
  default?: boolean;
  target: string;
  events?: string;
  repeat?: string;
  escalateAfter?: string;
  json?: boolean;
}

function durationFlag(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  const ms = parseDuration(text);
  if (ms === undefined)
    throw validationError([{ path: flag, message: 'is not a duration (e.g. 30m, 1h)' }]);
  return ms;
}

/** `alerts route add`: attaches a target to a group, a tag, or every monitor by default. */
export function alertRouteCommand(ctx: CliContext): Command {
  const route = new Command('route').description('routing rules: add, list, delete');
  route
    .command('add')
    .description(
      'route a group’s or tag’s monitors, or by default every monitor without a route, to a target',
    )
    .option('--group <group>', 'every monitor of this group')
    .option('--tag <tag>', 'every monitor with this tag')
    .option('--default', 'monitors that have no route of their own for the event')
    .requiredOption('--target <name>', 'the alert target')
    .option(
      '--events <list>',
      `only these events, comma-separated: ${MONITOR_EVENTS.join(', ')} (default: ${DEFAULT_MONITOR_EVENTS.join(', ')})`,
    )
    .option(
      '--repeat <duration>',
      're-page every this long while open and unacknowledged (e.g. 30m)',
    )
    .option(
      '--escalate-after <duration>',
      'an escalation step: page only after this long open and unacknowledged',
    )
    .option('--json', 'print JSON')
    .action(async (flags: RouteFlags, command: Command) => {
      const scopes = [flags.group, flags.tag, flags.default].filter((s) => s !== undefined);
      if (scopes.length !== 1) {
        throw validationError([
          { path: '--group', message: 'give exactly one of --group, --tag or --default' },
        ]);
      }
      const scope =
        flags.group !== undefined ? 'group' : flags.tag !== undefined ? 'tag' : 'default';
      const value = flags.group ?? flags.tag;
      const input = {
        scope,
        ...(value === undefined ? {} : { value }),
        target: flags.target,
        events: flags.events === undefined ? null : flags.events.split(',').map((e) => e.trim()),
        repeatEveryMs: durationFlag(flags.repeat, '--repeat'),
        escalateAfterMs: durationFlag(flags.escalateAfter, '--escalate-after'),
      };
      await withBackend(command, ctx, async (backend) => {
        const rule = await backend.call(addAlertRule, input as never);
        if (flags.json === true) return ctx.out.json(rule);
        ctx.out.line(
          `Added rule ${rule.id}: ${scope}${value === undefined ? '' : ` ${value}`} → ${rule.target}`,
        );
      });
    });
  // Hand-written so the table shows each rule's scope (an object the derived table leaves out).
  route
    .command('list')
    .description('routing rules: scope, target, events, re-notify and escalation')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const rules = await collectPages(backend, listAlertRules, {});
        if (flags.json === true) return ctx.out.json(rules);
        if (rules.length === 0) return ctx.out.line('No routing rules.');
        ctx.out.line(
          renderTable(
            ctx.out,
            ['ID', 'SCOPE', 'TARGET', 'EVENTS', 'REPEAT', 'ESCALATE-AFTER'],
            rules.map((rule) => ruleRow(rule)),
          ),
        );
      });
    });
  return route;
}

function ruleRow(rule: AlertRule): string[] {
  const scope =
    rule.scope.kind === 'group'
      ? `group ${rule.scope.group}`
      : rule.scope.kind === 'tag'
        ? `tag ${rule.scope.tag}`
        : 'default';
  const duration = (ms: number | null) => (ms === null ? '-' : formatDuration(ms));
  return [
    rule.id,
    scope,
    rule.target,
    rule.events?.join(',') ?? 'defaults',
    duration(rule.repeatEveryMs),
    duration(rule.escalateAfterMs),
  ];
}
