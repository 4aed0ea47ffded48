import { percent } from './format.ts';
import { escapeHtml } from './html.ts';
import type { PublicMonitor, PublicStatus } from './model.ts';

// Shields-style flat badges: a grey label and a coloured value, sized from an approximate text
// width (Verdana 11px averages ~6.5 px per character; exact metrics would need a font file).

const COLORS = {
  green: '#4c1',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  grey: '#9f9f9f',
} as const;

const STATUS_BADGES: Record<PublicStatus, [string, keyof typeof COLORS]> = {
  operational: ['up', 'green'],
  degraded: ['degraded', 'yellow'],
  'partial-outage': ['partial outage', 'orange'],
  outage: ['down', 'red'],
  maintenance: ['maintenance', 'blue'],
  paused: ['paused', 'grey'],
  unknown: ['unknown', 'grey'],
};

export const BADGE_WINDOWS = ['24h', '7d', '30d', '90d'] as const;
export type BadgeWindow = (typeof BADGE_WINDOWS)[number];

function textWidth(text: string): number {
  return Math.round(text.length * 6.5) + 10;
}

/** A flat badge (pure); both texts are escaped. */
export function badgeSvg(label: string, value: string, color: string): string {
  const lw = textWidth(label);
  const vw = textWidth(value);
  const w = lw + vw;
  const l = escapeHtml(label);
  const v = escapeHtml(value);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${v}"><title>${l}: ${v}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="14">${l}</text><text x="${lw + vw / 2}" y="14">${v}</text></g></svg>`;
}

export function statusBadge(monitor: PublicMonitor): string {
  const [value, color] = STATUS_BADGES[monitor.status];
  return badgeSvg(monitor.name, value, COLORS[color]);
}

export function uptimeBadge(monitor: PublicMonitor, window: BadgeWindow): string {
  const uptime = monitor.uptime[window];
  const color =
    uptime === null
      ? COLORS.grey
      : uptime >= 0.999
        ? COLORS.green
        : uptime >= 0.99
          ? COLORS.yellow
          : uptime >= 0.95
            ? COLORS.orange
            : COLORS.red;
  return badgeSvg(`uptime ${window}`, percent(uptime), color);
}

export function latencyBadge(monitor: PublicMonitor): string {
  const ms = monitor.lastLatencyMs;
  const color =
    ms === null ? COLORS.grey : ms < 300 ? COLORS.green : ms < 1_000 ? COLORS.yellow : COLORS.red;
  return badgeSvg('latency', ms === null ? 'unknown' : `${Math.round(ms)} ms`, color);
}
