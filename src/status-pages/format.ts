import type { IncidentUpdateStatus } from '../domain/status-page.ts';
import type { PublicStatus } from './model.ts';

// Words and numbers as a visitor reads them; shared by the page, feeds and badges.

export const STATUS_LABELS: Record<PublicStatus, string> = {
  operational: 'Operational',
  degraded: 'Degraded performance',
  'partial-outage': 'Partial outage',
  outage: 'Outage',
  maintenance: 'Under maintenance',
  paused: 'Paused',
  unknown: 'No data yet',
};

export const OVERALL_LABELS: Record<PublicStatus, string> = {
  operational: 'All systems operational',
  degraded: 'Some systems degraded',
  'partial-outage': 'Partial outage',
  outage: 'Major outage',
  maintenance: 'Maintenance in progress',
  paused: 'Monitoring paused',
  unknown: 'Waiting for the first checks',
};

export const UPDATE_LABELS: Record<IncidentUpdateStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** 0.99987 → "99.99%"; null → "–". Never rounds a loss up to 100 %. */
export function percent(uptime: number | null): string {
  if (uptime === null) return '–';
  const floored = Math.floor(uptime * 10_000) / 100;
  return `${floored.toFixed(2)}%`;
}

/** An instant as UTC text, the same for every visitor (pages are cached and shared). */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 5400000 → "1 h 30 min". */
export function spanText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
