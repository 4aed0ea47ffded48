import type { Command } from 'commander';
import { CHECK_TYPES } from '../../checks/types.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { collectRepeated } from '../check-flags.ts';

/** The monitor flags shared by `monitor add` and `monitor edit`. */
export function addMonitorFlags(command: Command): Command {
  return (
    command
      .option('--name <name>', 'display name')
      // From the registry's list, so a new check type appears here without an edit.
      .option('--type <type>', `check type (${CHECK_TYPES.join(', ')})`)
      .option('--target <target>', 'URL, host:port or name to check, depending on the type')
      .option('--interval <duration>', 'time between checks, e.g. 30s (min 1s; default 60s)')
      .option('--timeout <duration>', 'time limit of one check, e.g. 5s')
      .option('--group <group>', 'group name')
      .option('--tag <tag>', 'tag (repeatable)', collectRepeated)
      .option(
        '--failure-threshold <n>',
        'consecutive failures before the monitor is down (default 2)',
      )
      .option('--recovery-threshold <n>', 'consecutive successes before it is up again (default 2)')
      .option('--degraded-is-down', 'treat degraded results as failures')
      .option(
        '--alert <target>',
        'page this named alert target (repeatable; `crosscheck alerts target list`)',
        collectRepeated,
      )
      .option(
        '--regional-alert <target>',
        'page this named alert target on regional verdicts (repeatable)',
        collectRepeated,
      )
      .option('--webhook <url>', 'send alerts as signed JSON POSTs to this URL')
      .option(
        '--webhook-secret <secret>',
        'HMAC-SHA256 signing secret for the webhook (min 16 chars)',
      )
      .option('--alert-cooldown <duration>', 'minimum time between two down alerts (default 5m)')
      .option(
        '--regional-webhook <url>',
        'send regional alerts (failing from whole regions only) to this URL; none: recorded, no page',
      )
      .option(
        '--regional-webhook-secret <secret>',
        'HMAC-SHA256 signing secret for the regional webhook (min 16 chars)',
      )
      .option(
        '--quorum <mode>',
        'majority (more than half of the answering nodes fail; default), n_of_m or percent',
      )
      .option('--quorum-failures <n>', 'n_of_m: failing nodes needed to confirm an outage')
      .option(
        '--quorum-percent <p>',
        'percent: share of the answering nodes (1-100) that must fail to confirm an outage',
      )
      .option(
        '--min-responders <n>',
        'fewest answering nodes for a verdict; fewer leave the monitor unknown (default 2)',
      )
      .option(
        '--flap-changes <n>',
        'more than this many confirmed changes within --flap-window mark it flapping (default 4)',
      )
      .option('--flap-window <duration>', 'window for --flap-changes, e.g. 30m (default 30m)')
      .option(
        '--region <region>',
        'run only on nodes of this region (repeatable; with --node-label, replaces the node selector)',
        collectRepeated,
      )
      .option(
        '--node-label <key=value>',
        'run only on nodes carrying this label (repeatable)',
        collectRepeated,
      )
      .option(
        '--depends-on <monitor>',
        'depend on this monitor (name or id) or on every monitor of a group (group:<name>), repeatable: while one is confirmed down, this one is linked to it and pages nobody',
        collectRepeated,
      )
  );
}

/** Field names in service validation errors, mapped back to the flags users typed. */
const FIELD_FLAGS: Record<string, string> = {
  name: '--name',
  type: '--type',
  target: '--target',
  intervalMs: '--interval',
  timeoutMs: '--timeout',
  group: '--group',
  tags: '--tag',
  failureThreshold: '--failure-threshold',
  recoveryThreshold: '--recovery-threshold',
  alertCooldownMs: '--alert-cooldown',
  alerts: '--alert/--webhook',
  regionalAlerts: '--regional-alert/--regional-webhook',
  nodes: '--region/--node-label',
  dependsOn: '--depends-on',
  'consensus.quorum': '--quorum',
  'consensus.requiredFailures': '--quorum-failures',
  'consensus.requiredPercent': '--quorum-percent',
  'consensus.minResponders': '--min-responders',
  'consensus.flapChanges': '--flap-changes',
  'consensus.flapWindowMs': '--flap-window',
};

/** The flag for a field path: the two-part name first (`consensus.quorum`), then the head. */
function flagFor(path: string): string | undefined {
  const route = /^(alerts|regionalAlerts)\.\d+\.(target|settings)(\.secret)?/.exec(path);
  if (route !== null) {
    const prefix = route[1] === 'regionalAlerts' ? '--regional-' : '--';
    if (route[2] === 'target') return `${prefix}alert`;
    return route[3] === undefined ? `${prefix}webhook` : `${prefix}webhook-secret`;
  }
  const [head = '', second] = path.split('.');
  return FIELD_FLAGS[`${head}.${second ?? ''}`] ?? FIELD_FLAGS[head];
}

/** Rewrites service field paths (`intervalMs`, `alerts.0.settings.url`) to flag names. */
export function withMonitorFlagNames(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== 'VALIDATION') return error;
  const issues: FieldIssue[] = error.issues.map((issue) => {
    const flag = flagFor(issue.path);
    return flag ? { ...issue, path: flag } : issue;
  });
  return validationError(issues);
}

interface MonitorFlagValues {
  name?: string;
  type?: string;
  target?: string;
  interval?: string;
  timeout?: string;
  group?: string;
  tag?: string[];
  failureThreshold?: string;
  recoveryThreshold?: string;
  degradedIsDown?: boolean;
  alert?: string[];
  regionalAlert?: string[];
  webhook?: string;
  webhookSecret?: string;
  regionalWebhook?: string;
  regionalWebhookSecret?: string;
  quorum?: string;
  quorumFailures?: string;
  quorumPercent?: string;
  minResponders?: string;
  flapChanges?: string;
  flapWindow?: string;
  alertCooldown?: string;
  paused?: boolean;
  region?: string[];
  dependsOn?: string[];
  nodeLabel?: string[];
}

/** Parses repeated `key=value` flags into a record; a malformed one names the flag. */
export function parseLabelFlags(flag: string, values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf('=');
    if (at <= 0 || at === item.length - 1)
      throw validationError([{ path: flag, message: `expected key=value, got "${item}"` }]);
    labels[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return labels;
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n))
    throw validationError([{ path: flag, message: `expected a whole number, got "${value}"` }]);
  return n;
}

/** Builds a create/update body from the flags the user gave (only those). */
export function monitorBodyFromFlags(command: Command): Record<string, unknown> {
  const given = (name: keyof MonitorFlagValues) => command.getOptionValueSource(name) === 'cli';
  const v = command.opts<MonitorFlagValues>();
  const body: Record<string, unknown> = {};
  if (given('name')) body.name = v.name;
  if (given('type')) body.type = v.type;
  if (given('target')) body.target = v.target;
  if (given('interval')) body.intervalMs = v.interval;
  if (given('timeout')) body.timeoutMs = v.timeout;
  if (given('group')) body.group = v.group;
  if (given('tag')) body.tags = v.tag;
  if (given('failureThreshold') && v.failureThreshold !== undefined)
    body.failureThreshold = wholeNumber('--failure-threshold', v.failureThreshold);
  if (given('recoveryThreshold') && v.recoveryThreshold !== undefined)
    body.recoveryThreshold = wholeNumber('--recovery-threshold', v.recoveryThreshold);
  if (given('degradedIsDown')) body.degradedIsDown = true;
  if (given('alertCooldown')) body.alertCooldownMs = v.alertCooldown;
  if (given('paused')) body.paused = true;
  if (given('dependsOn')) body.dependsOn = v.dependsOn;
  if (given('region') || given('nodeLabel'))
    body.nodes = {
      regions: v.region ?? [],
      labels: parseLabelFlags('--node-label', v.nodeLabel ?? []),
    };
  const alerts = routesFromFlags(
    given('alert') ? v.alert : undefined,
    webhookRoutes(given('webhook'), v.webhook, v.webhookSecret),
  );
  if (alerts) body.alerts = alerts;
  if (!given('webhook') && given('webhookSecret'))
    throw validationError([{ path: '--webhook-secret', message: 'needs --webhook <url> as well' }]);
  const regional = routesFromFlags(
    given('regionalAlert') ? v.regionalAlert : undefined,
    webhookRoutes(given('regionalWebhook'), v.regionalWebhook, v.regionalWebhookSecret),
  );
  if (regional) body.regionalAlerts = regional;
  if (!given('regionalWebhook') && given('regionalWebhookSecret'))
    throw validationError([
      { path: '--regional-webhook-secret', message: 'needs --regional-webhook <url> as well' },
    ]);
  const consensus = consensusFromFlags(given, v);
  if (Object.keys(consensus).length > 0) body.consensus = consensus;
  return body;
}

/**
 * A route list from target names and the webhook shorthand together (`--alert ops-slack
 * --webhook URL`); undefined when neither was given, so an edit leaves the routes as they are.
 */
function routesFromFlags(
  targets: readonly string[] | undefined,
  webhook: Record<string, unknown>[] | undefined,
): Record<string, unknown>[] | undefined {
  if (targets === undefined && webhook === undefined) return undefined;
  return [...(targets ?? []).map(targetRoute), ...(webhook ?? [])];
}

/** A route to a named target with its defaults (rules add events, repeat and escalation). */
export function targetRoute(target: string): {
  target: string;
  events: null;
  repeatEveryMs: null;
  escalateAfterMs: null;
} {
  return { target, events: null, repeatEveryMs: null, escalateAfterMs: null };
}

/** One webhook route from a URL flag and its optional secret; undefined when the URL is absent. */
function webhookRoutes(
  given: boolean,
  url: string | undefined,
  secret: string | undefined,
): Record<string, unknown>[] | undefined {
  if (!given) return undefined;
  return [{ channel: 'webhook', settings: { url, ...(secret ? { secret } : {}) } }];
}

/** The consensus keys the user gave flags for (the service merges them into the policy). */
function consensusFromFlags(
  given: (name: keyof MonitorFlagValues) => boolean,
  v: MonitorFlagValues,
): Record<string, unknown> {
  const consensus: Record<string, unknown> = {};
  if (given('quorum')) consensus.quorum = v.quorum;
  if (given('quorumFailures') && v.quorumFailures !== undefined)
    consensus.requiredFailures = wholeNumber('--quorum-failures', v.quorumFailures);
  if (given('quorumPercent') && v.quorumPercent !== undefined)
    consensus.requiredPercent = wholeNumber('--quorum-percent', v.quorumPercent);
  if (given('minResponders') && v.minResponders !== undefined)
    consensus.minResponders = wholeNumber('--min-responders', v.minResponders);
  if (given('flapChanges') && v.flapChanges !== undefined)
    consensus.flapChanges = wholeNumber('--flap-changes', v.flapChanges);
  if (given('flapWindow')) consensus.flapWindowMs = v.flapWindow;
  return consensus;
}

/** Monitor settings `--unset` can clear, with the body field each one resets. */
const UNSETTABLE: Record<string, [field: string, value: unknown]> = {
  group: ['group', null],
  'degraded-is-down': ['degradedIsDown', false],
  alert: ['alerts', []],
  webhook: ['alerts', []],
  'regional-alert': ['regionalAlerts', []],
  'regional-webhook': ['regionalAlerts', []],
  consensus: ['consensus', DEFAULT_CONSENSUS],
  nodes: ['nodes', { regions: [], labels: {} }],
  'depends-on': ['dependsOn', []],
};

/**
 * Applies `monitor edit --unset <name>`: monitor settings reset to their default, check
 * options (named by their flag) are removed with a merge-patch `null`.
 */
export function applyUnset(
  body: Record<string, unknown>,
  names: readonly string[],
  optionKeyOf: (flagName: string) => string | undefined,
): void {
  const issues: { path: string; message: string }[] = [];
  const options: Record<string, unknown> = {
    ...(body.options as Record<string, unknown> | undefined),
  };
  for (const raw of names) {
    const name = raw.replace(/^--/, '');
    const setting = UNSETTABLE[name];
    const optionKey = optionKeyOf(name);
    // Flags given in the same edit win over the reset (`--unset consensus --quorum n_of_m …`).
    if (setting && name === 'consensus')
      body.consensus = { ...DEFAULT_CONSENSUS, ...(body.consensus as object | undefined) };
    else if (setting) body[setting[0]] = setting[1];
    else if (optionKey) options[optionKey] = null;
    else
      issues.push({
        path: '--unset',
        message: `"${raw}" is neither a monitor setting (${Object.keys(UNSETTABLE).join(', ')}) nor a flag of this check type`,
      });
  }
  if (issues.length > 0) throw validationError(issues);
  if (Object.keys(options).length > 0) body.options = options;
}
