import { z } from 'zod';
import type { AlertRoute } from '../domain/monitor.ts';
import { validationError, type FieldIssue } from '../lib/errors.ts';
import { webhookChannel } from './channels/webhook/index.ts';
import type { AlertChannelDefinition, AlertChannelName } from './types.ts';
import { ALERT_CHANNELS } from './types.ts';

/** Every alert channel, one line each. A missing channel is a type error. */
// Widening to `unknown` settings (accepted because `send` and `redact` are methods, which
// TypeScript checks bivariantly) is safe: settings only ever reach `send` after passing the
// same definition's `settingsSchema`, in `parseAlertRoute` and again in the dispatcher.
const registry: { readonly [K in AlertChannelName]: AnyAlertChannel } = {
  webhook: webhookChannel,
};

/** A channel definition with its settings type erased, as the registry holds it. */
export type AnyAlertChannel = AlertChannelDefinition<unknown>;

/** Finds a channel by name, for the dispatcher; undefined for a name this version lacks. */
export type ChannelLookup = (name: string) => AnyAlertChannel | undefined;

export const alertChannelSchema = z.enum(ALERT_CHANNELS);

/** Looks up a channel's definition. */
export function getChannel(name: AlertChannelName): AnyAlertChannel {
  return registry[name];
}

/** Looks up a channel by a name read from storage or input. */
export const findChannel: ChannelLookup = (name) => {
  const parsed = alertChannelSchema.safeParse(name);
  return parsed.success ? getChannel(parsed.data) : undefined;
};

/** All definitions, in declaration order. */
export function listChannels(): AnyAlertChannel[] {
  return ALERT_CHANNELS.map((name) => getChannel(name));
}

/**
 * Validates one route, reporting every problem with its field path under `path`
 * (e.g. `alerts[0].settings.url: must be an http:// or https:// URL`).
 */
export function parseAlertRoute(
  channel: unknown,
  settings: unknown,
  path = 'alerts[0]',
): AlertRoute {
  const { route, issues } = checkRoute(channel, settings, path);
  if (route === undefined) throw validationError(issues);
  return route;
}

/** Validates a monitor's whole `alerts` list, reporting the problems of every route at once. */
export function parseAlertRoutes(
  routes: readonly { channel: unknown; settings?: unknown }[],
  path = 'alerts',
): AlertRoute[] {
  const parsed: AlertRoute[] = [];
  const issues: FieldIssue[] = [];
  routes.forEach((input, index) => {
    const result = checkRoute(input.channel, input.settings, `${path}[${index}]`);
    if (result.route !== undefined) parsed.push(result.route);
    issues.push(...result.issues);
  });
  if (issues.length > 0) throw validationError(issues);
  return parsed;
}

/** A route's settings for display, secrets hidden; unknown channels show no settings at all. */
export function redactAlertRoute(route: AlertRoute): AlertRoute {
  const definition = findChannel(route.channel);
  const parsed = definition?.settingsSchema.safeParse(route.settings);
  if (definition === undefined || parsed === undefined || !parsed.success) {
    return { channel: route.channel, settings: {} };
  }
  return { channel: route.channel, settings: definition.redact(parsed.data) };
}

function checkRoute(
  channel: unknown,
  settings: unknown,
  path: string,
): { route: AlertRoute | undefined; issues: FieldIssue[] } {
  const name = alertChannelSchema.safeParse(channel);
  if (!name.success) {
    const known = ALERT_CHANNELS.join(', ');
    return {
      route: undefined,
      issues: [{ path: `${path}.channel`, message: `must be one of: ${known}` }],
    };
  }
  const parsed = getChannel(name.data).settingsSchema.safeParse(settings ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: fieldPath(`${path}.settings`, issue.path),
      message: issue.message,
    }));
    return { route: undefined, issues };
  }
  return {
    route: { channel: name.data, settings: parsed.data as Record<string, unknown> },
    issues: [],
  };
}

function fieldPath(prefix: string, segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, segment) =>
      typeof segment === 'number' ? `${path}[${segment}]` : `${path}.${String(segment)}`,
    prefix,
  );
}
