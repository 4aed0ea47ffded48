import type { AlertSeverity } from './message.ts';

/**
 * One colour per severity for providers that tint a message (Discord embeds, Mattermost and
 * Rocket.Chat attachments): red for critical, amber for warnings, blue for info, green for ok.
 */
export const SEVERITY_COLORS: Readonly<Record<AlertSeverity, string>> = {
  critical: '#d92d20',
  warning: '#f79009',
  info: '#2e90fa',
  ok: '#12b76a',
};

/** The severity colour as a number (`0xd92d20`), the form Discord expects. */
export function severityColorNumber(severity: AlertSeverity): number {
  return Number.parseInt(SEVERITY_COLORS[severity].slice(1), 16);
}
