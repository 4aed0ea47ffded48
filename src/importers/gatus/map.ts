import type { RoutedEvent } from '../../domain/alert-target.ts';
import { parseDuration } from '../../lib/duration.ts';
import type { CreateMonitorInput } from '../../services/monitors/monitor-input.ts';
import { createPlanBuilder } from '../plan-builder.ts';
import type { PlanBuilder } from '../plan-builder.ts';
import type { ImportPlan, MappingRow } from '../types.ts';
import { text } from '../values.ts';
import { parseCondition } from './conditions.ts';
import { endpointCheck } from './endpoint-check.ts';
import type { EndpointCheck } from './endpoint-check.ts';
import { gatusProviderMapping } from './providers.ts';
import type { GatusAlert, GatusEndpoint, GatusSource } from './source.ts';

/** Gatus's defaults (README, "Alerting"). */
const DEFAULT_FAILURE_THRESHOLD = 3;
const DEFAULT_SUCCESS_THRESHOLD = 2;
const DEFAULT_INTERVAL = '60s';
/** `send-on-resolved: false` (Gatus's default): the outage pages, its end does not. */
const WITHOUT_RESOLVED: RoutedEvent[] = ['down', 'flapping'];
const MAX_TAG_LENGTH = 64;

/** A Gatus configuration → an import plan (pure). */
export function mapGatus(source: GatusSource): ImportPlan {
  const builder = createPlanBuilder(source.format);
  for (const { path, variables } of source.envPlaceholders) {
    builder.warn(
      path,
      `names ${variables.map((v) => `\${${v}}`).join(', ')}: left as written (Crosscheck does not read the environment here); set the real value after importing`,
    );
  }
  const targets = mapProviders(source, builder);
  for (const endpoint of source.endpoints) mapEndpoint(endpoint, source, targets, builder);
  for (const external of source.externalEndpoints) {
    builder.unmapped(
      'monitor',
      external.name,
      'external-endpoint',
      'its status is pushed to Gatus’s own API (bearer token, success/error per call, no schedule to import); create a push monitor and point the job at its URL',
    );
  }
  return builder.build();
}

/** Provider name → the target made from it. */
function mapProviders(source: GatusSource, builder: PlanBuilder): Map<string, string> {
  const targets = new Map<string, string>();
  for (const [provider, settings] of Object.entries(source.alerting)) {
    const mapping = gatusProviderMapping(provider);
    if (mapping === undefined) {
      builder.unmapped(
        'notification',
        provider,
        provider,
        `Crosscheck has no channel for Gatus’s ${provider} alerts`,
      );
      continue;
    }
    const name = builder.addTarget(
      { name: `gatus-${provider}`, type: provider },
      { type: mapping.channel, settings: mapping.settings(settings) },
    );
    if (name === undefined) continue;
    targets.set(provider, name);
    if (Array.isArray(settings['overrides']) && settings['overrides'].length > 0)
      builder.warn(
        `alerting.${provider}`,
        'per-group overrides are not carried over: every group uses the one target',
      );
    if (
      provider === 'custom' &&
      (text(settings, 'body') !== undefined || (text(settings, 'method') ?? 'POST') !== 'POST')
    )
      builder.warn(
        'alerting.custom',
        'the webhook now receives Crosscheck’s JSON event by POST instead of its custom request',
      );
  }
  return targets;
}

function mapEndpoint(
  endpoint: GatusEndpoint,
  source: GatusSource,
  targets: ReadonlyMap<string, string>,
  builder: PlanBuilder,
): void {
  const conditions = endpoint.conditions.map((condition) => ({
    condition,
    parsed: parseCondition(condition),
  }));
  const check = endpointCheck(
    endpoint,
    conditions.map((c) => c.parsed),
  );
  const kind =
    endpoint.dns !== undefined ? 'dns' : (/^([a-z0-9+.-]+):/i.exec(endpoint.url)?.[1] ?? 'url');
  if ('refused' in check) {
    builder.unmapped('monitor', endpoint.name, kind, check.refused);
    return;
  }
  for (const warning of check.warnings ?? []) builder.warn(endpoint.name, warning);
  for (const left of check.leftOver) {
    const written = conditions.find(
      (c) => c.parsed.kind === 'unsupported' && c.parsed.placeholder === left.placeholder,
    )?.condition;
    builder.unmapped(
      'condition',
      `${endpoint.name}: ${written ?? left.placeholder}`,
      left.placeholder,
      left.reason,
    );
  }
  const alerting = alertSettings(endpoint, source, targets, builder);
  const interval = parseDuration(endpoint.interval ?? DEFAULT_INTERVAL);
  const timeout =
    endpoint.client?.timeout === undefined ? undefined : parseDuration(endpoint.client.timeout);
  const input: CreateMonitorInput = {
    name: endpoint.name,
    type: check.type,
    target: check.target,
    options: check.options,
    // An unreadable duration stays text, so the monitor schema reports it by its field.
    intervalMs: interval ?? endpoint.interval ?? DEFAULT_INTERVAL,
    ...(endpoint.client?.timeout === undefined
      ? {}
      : { timeoutMs: timeout ?? endpoint.client.timeout }),
    paused: endpoint.enabled === false,
    degradedIsDown: check.degradedIsDown,
    tags: Object.entries(endpoint['extra-labels'] ?? {}).map(([k, v]) =>
      `${k}:${v}`.slice(0, MAX_TAG_LENGTH),
    ),
    ...(endpoint.group === undefined ? {} : { group: endpoint.group }),
    ...alerting,
  };
  builder.addMonitor(kind, input);
  if (check.certificate !== undefined) addCertificateMonitor(input, check.certificate, builder);
}

function addCertificateMonitor(
  parent: CreateMonitorInput,
  certificate: NonNullable<EndpointCheck['certificate']>,
  builder: PlanBuilder,
): void {
  const { options: _options, timeoutMs: _timeout, degradedIsDown: _degraded, ...shared } = parent;
  builder.addMonitor('[CERTIFICATE_EXPIRATION]', {
    ...shared,
    name: `${parent.name} certificate`,
    type: 'tls',
    target: certificate.target,
    options: { warnDays: certificate.warnDays },
    degradedIsDown: true,
  });
}

/** Routes and thresholds from the endpoint's alerts (with each provider's `default-alert`). */
function alertSettings(
  endpoint: GatusEndpoint,
  source: GatusSource,
  targets: ReadonlyMap<string, string>,
  builder: PlanBuilder,
): Pick<CreateMonitorInput, 'alerts' | 'failureThreshold' | 'recoveryThreshold'> {
  const alerts: NonNullable<CreateMonitorInput['alerts']> = [];
  const failures: number[] = [];
  const successes: number[] = [];
  for (const alert of endpoint.alerts) {
    const merged = withDefaults(alert, source.alerting[alert.type]);
    if (merged.enabled === false) continue;
    const target = targets.get(alert.type);
    if (target === undefined) {
      const reason = Object.hasOwn(source.alerting, alert.type)
        ? `alerting.${alert.type} was not imported (see above)`
        : `no alerting.${alert.type} is configured`;
      builder.unmapped('alert', `${endpoint.name} → ${alert.type}`, alert.type, reason);
      continue;
    }
    if (alert['provider-override'] !== undefined)
      builder.warn(
        endpoint.name,
        `its ${alert.type} alert’s provider-override is not carried over`,
      );
    failures.push(merged['failure-threshold'] ?? DEFAULT_FAILURE_THRESHOLD);
    successes.push(merged['success-threshold'] ?? DEFAULT_SUCCESS_THRESHOLD);
    alerts.push(
      merged['send-on-resolved'] === true ? { target } : { target, events: WITHOUT_RESOLVED },
    );
  }
  if (alerts.length === 0) return {};
  return {
    alerts,
    failureThreshold: Math.max(...failures),
    recoveryThreshold: Math.max(...successes),
  };
}

function withDefaults(
  alert: GatusAlert,
  provider: Record<string, unknown> | undefined,
): GatusAlert {
  const defaults = provider?.['default-alert'];
  if (typeof defaults !== 'object' || defaults === null) return alert;
  return { ...(defaults as Partial<GatusAlert>), ...alert };
}

/** How an endpoint's common settings come over (docs/importing.md). */
export const GATUS_ENDPOINT_FIELDS: readonly MappingRow[] = [
  { source: 'interval', crosscheck: 'intervalMs', note: 'Go duration (default 60s)' },
  { source: 'client.timeout', crosscheck: 'timeoutMs', note: 'Go duration' },
  { source: 'enabled: false', crosscheck: 'paused', note: 'imported paused' },
  { source: 'group', crosscheck: 'group', note: 'as is' },
  { source: 'extra-labels', crosscheck: 'tags', note: '“key:value”' },
  {
    source: 'alerts[].type',
    crosscheck: 'alerts',
    note: 'a route to the target `gatus-<type>`; without send-on-resolved, only outages page',
  },
  {
    source: 'alerts[].failure-threshold / success-threshold',
    crosscheck: 'failureThreshold / recoveryThreshold',
    note: 'the largest of the endpoint’s alerts (Gatus defaults 3 and 2; a provider’s default-alert fills gaps)',
  },
  {
    source: 'alerts[].provider-override, alerting.*.overrides',
    crosscheck: null,
    note: 'reported as warnings',
  },
];
