import { z } from 'zod';
import { isTargetRoute, type AlertRoute } from '../domain/alert-target.ts';
import { validationError, type FieldIssue } from '../lib/errors.ts';
import { commandChannel } from './channels/command/index.ts';
import { emailChannel } from './channels/email/index.ts';
import { giteaChannel } from './channels/gitea/index.ts';
import { githubChannel } from './channels/github/index.ts';
import { gitlabChannel } from './channels/gitlab/index.ts';
import { mailgunChannel } from './channels/mailgun/index.ts';
import { sendgridChannel } from './channels/sendgrid/index.ts';
import { sesChannel } from './channels/ses/index.ts';
import { webhookChannel } from './channels/webhook/index.ts';
import { pagerdutyChannel } from './channels/pagerduty/index.ts';
import { opsgenieChannel } from './channels/opsgenie/index.ts';
import { splunkOncallChannel } from './channels/splunk_oncall/index.ts';
import { incidentIoChannel } from './channels/incident_io/index.ts';
import { ilertChannel } from './channels/ilert/index.ts';
import { squadcastChannel } from './channels/squadcast/index.ts';
import { signl4Channel } from './channels/signl4/index.ts';
import { grafanaOncallChannel } from './channels/grafana_oncall/index.ts';
import { alertmanagerChannel } from './channels/alertmanager/index.ts';
import { datadogChannel } from './channels/datadog/index.ts';
import { telegramChannel } from './channels/telegram/index.ts';
import { matrixChannel } from './channels/matrix/index.ts';
import { signalChannel } from './channels/signal/index.ts';
import { whatsappChannel } from './channels/whatsapp/index.ts';
import { twilioChannel } from './channels/twilio/index.ts';
import { vonageChannel } from './channels/vonage/index.ts';
import { pushoverChannel } from './channels/pushover/index.ts';
import { gotifyChannel } from './channels/gotify/index.ts';
import { ntfyChannel } from './channels/ntfy/index.ts';
import { barkChannel } from './channels/bark/index.ts';
import { homeAssistantChannel } from './channels/home_assistant/index.ts';
import { appriseChannel } from './channels/apprise/index.ts';
import { slackChannel } from './channels/slack/index.ts';
import { discordChannel } from './channels/discord/index.ts';
import { teamsChannel } from './channels/teams/index.ts';
import { googleChatChannel } from './channels/google_chat/index.ts';
import { mattermostChannel } from './channels/mattermost/index.ts';
import { rocketChatChannel } from './channels/rocket_chat/index.ts';
import { zulipChannel } from './channels/zulip/index.ts';
import { webexChannel } from './channels/webex/index.ts';
import { larkChannel } from './channels/lark/index.ts';
import { dingtalkChannel } from './channels/dingtalk/index.ts';
import { wecomChannel } from './channels/wecom/index.ts';
import { redactSettings } from './kit/secrets.ts';
import type { ChannelDefinition } from './types.ts';

/**
 * Every alert channel, one line each, in the order help and docs list them. Each channel
 * folder exports exactly one definition; nothing else lists channels by hand.
 */
// Widening to `unknown` settings (accepted because `send` is a method, which TypeScript
// checks bivariantly) is safe: settings only ever reach `send` after passing the same
// definition's `settingsSchema`.
const CHANNELS: readonly AnyAlertChannel[] = [
  webhookChannel,
  // chat
  slackChannel,
  discordChannel,
  teamsChannel,
  googleChatChannel,
  mattermostChannel,
  rocketChatChannel,
  zulipChannel,
  webexChannel,
  larkChannel,
  dingtalkChannel,
  wecomChannel,
  // messaging, SMS and push
  telegramChannel,
  matrixChannel,
  signalChannel,
  whatsappChannel,
  twilioChannel,
  vonageChannel,
  pushoverChannel,
  gotifyChannel,
  ntfyChannel,
  barkChannel,
  homeAssistantChannel,
  appriseChannel,
  // on-call and incident tools
  pagerdutyChannel,
  opsgenieChannel,
  splunkOncallChannel,
  incidentIoChannel,
  ilertChannel,
  squadcastChannel,
  signl4Channel,
  grafanaOncallChannel,
  alertmanagerChannel,
  datadogChannel,
  // Mail, issue trackers and commands (email … command).
  emailChannel,
  sesChannel,
  sendgridChannel,
  mailgunChannel,
  githubChannel,
  gitlabChannel,
  giteaChannel,
  commandChannel,
];

/** A channel definition with its settings type erased, as the registry holds it. */
export type AnyAlertChannel = ChannelDefinition<unknown>;

/** Finds a channel by type, for the dispatcher; undefined for a type this version lacks. */
export type ChannelLookup = (type: string) => AnyAlertChannel | undefined;

const byType = new Map(CHANNELS.map((channel) => [channel.type, channel]));

/** Every channel type, in registry order. */
export const ALERT_CHANNEL_TYPES: readonly string[] = CHANNELS.map((channel) => channel.type);

export const alertChannelSchema = z.string().refine((type) => byType.has(type), {
  error: `must be one of: ${ALERT_CHANNEL_TYPES.join(', ')}`,
});

/** Looks up a channel by a type read from storage or input. */
export const findChannel: ChannelLookup = (type) => byType.get(type);

/** All definitions, in registry order. */
export function listChannels(): readonly AnyAlertChannel[] {
  return CHANNELS;
}

/** A channel's settings for display: secrets masked by the channel's own secret list. */
export function redactChannelSettings(type: string, settings: unknown): Record<string, unknown> {
  const definition = findChannel(type);
  // Settings this version cannot read are not shown at all: their secrets are unknown.
  const parsed = definition?.settingsSchema.safeParse(settings);
  if (definition === undefined || parsed === undefined || !parsed.success) return {};
  return redactSettings(definition.secrets, parsed.data);
}

/**
 * Validates a channel's settings, reporting every problem with its field path under `path`
 * (e.g. `settings.url: must be an http:// or https:// URL`).
 */
export function parseChannelSettings(
  type: string,
  settings: unknown,
  path = 'settings',
): Record<string, unknown> {
  const definition = findChannel(type);
  if (definition === undefined) {
    throw validationError([
      { path: 'type', message: `must be one of: ${ALERT_CHANNEL_TYPES.join(', ')}` },
    ]);
  }
  const parsed = definition.settingsSchema.safeParse(settings ?? {});
  if (!parsed.success) throw validationError(settingsIssues(parsed.error.issues, path));
  return parsed.data as Record<string, unknown>;
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
  if (isTargetRoute(route)) return route;
  return { channel: route.channel, settings: redactChannelSettings(route.channel, route.settings) };
}

function checkRoute(
  channel: unknown,
  settings: unknown,
  path: string,
): { route: AlertRoute | undefined; issues: FieldIssue[] } {
  const definition = typeof channel === 'string' ? findChannel(channel) : undefined;
  if (definition === undefined) {
    return {
      route: undefined,
      issues: [
        { path: `${path}.channel`, message: `must be one of: ${ALERT_CHANNEL_TYPES.join(', ')}` },
      ],
    };
  }
  const parsed = definition.settingsSchema.safeParse(settings ?? {});
  if (!parsed.success) {
    return { route: undefined, issues: settingsIssues(parsed.error.issues, `${path}.settings`) };
  }
  return {
    route: { channel: definition.type, settings: parsed.data as Record<string, unknown> },
    issues: [],
  };
}

function settingsIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: string,
): FieldIssue[] {
  return issues.map((issue) => ({ path: fieldPath(prefix, issue.path), message: issue.message }));
}

function fieldPath(prefix: string, segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, segment) =>
      typeof segment === 'number' ? `${path}[${segment}]` : `${path}.${String(segment)}`,
    prefix,
  );
}
