import { DAY_MS, PAGE_PAST_DAYS } from './build-model.ts';
import {
  OVERALL_LABELS,
  STATUS_LABELS,
  UPDATE_LABELS,
  percent,
  spanText,
  utcDay,
  utcTime,
} from './format.ts';
import type { Html } from './html.ts';
import { html } from './html.ts';
import type {
  DayBar,
  PublicIncident,
  PublicMaintenance,
  PublicMonitor,
  StatusPageModel,
} from './model.ts';

/** Where the page's stylesheet and icon are served, on every host. */
export const ASSET_PATHS = {
  css: '/status-assets/status.css',
  favicon: '/status-assets/favicon.svg',
  script: '/status-assets/live.js',
} as const;

/** The base path of a page's own URLs (feeds, summary). */
export function pagePath(slug: string): string {
  return `/status/${slug}`;
}

function head(title: string, slug: string): Html {
  const base = pagePath(slug);
  return html`<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>${title}</title>
    <link rel="stylesheet" href="${ASSET_PATHS.css}" />
    <link rel="icon" href="${ASSET_PATHS.favicon}" type="image/svg+xml" />
    <script src="${ASSET_PATHS.script}" defer></script>
    <link
      rel="alternate"
      type="application/rss+xml"
      title="${title} (RSS)"
      href="${base}/feed.rss"
    />
    <link
      rel="alternate"
      type="application/atom+xml"
      title="${title} (Atom)"
      href="${base}/feed.atom"
    />
  </head>`;
}

/**
 * Bars as a pattern of "up" bars under one rect per day that was not fully up, so a quiet
 * monitor costs a few hundred bytes whatever the number of days (pages are served by the
 * thousand per second).
 */
const BAR_PATTERN = html`<svg width="0" height="0" aria-hidden="true" style="position:absolute">
  <defs>
    <pattern id="bar-up" width="4" height="28" patternUnits="userSpaceOnUse">
      <rect class="bar-up" width="3" height="28" rx="1" />
    </pattern>
  </defs>
</svg>`;

function barKind(day: DayBar): 'none' | 'minor' | 'down' | null {
  if (day.uptime === null) return 'none';
  if (day.downMs === 0) return null;
  return day.uptime >= 0.99 ? 'minor' : 'down';
}

/** A day that was not fully up, as its own rect with a tooltip. */
function bar(day: DayBar, index: number): Html {
  const kind = barKind(day);
  if (kind === null || kind === 'none') return html``;
  const tip = `${utcDay(day.to)}: ${percent(day.uptime)}, down ${spanText(day.downMs)}`;
  return html`<rect class="bar-${kind}" x="${index * 4}" width="3" height="28" rx="1"
    ><title>${tip}</title></rect
  >`;
}

/** Days with no data come in runs (before the monitor existed): one rect per run. */
function noDataRuns(days: readonly DayBar[]): Html[] {
  const runs: Html[] = [];
  let start = -1;
  days.forEach((day, i) => {
    const none = day.uptime === null;
    if (none && start === -1) start = i;
    const last = i === days.length - 1;
    if (start !== -1 && (!none || last)) {
      const end = none ? i : i - 1;
      const from = days[start];
      const tip = `${from === undefined ? '' : utcDay(from.to)} – ${utcDay(days[end]?.to ?? 0)}: no data`;
      runs.push(
        html`<rect
          class="bar-none"
          x="${start * 4}"
          width="${(end - start + 1) * 4 - 1}"
          height="28"
          ><title>${tip}</title></rect
        >`,
      );
      start = -1;
    }
  });
  return runs;
}

function bars(monitor: PublicMonitor): Html {
  const label = `${monitor.name}: uptime per day over the last 90 days`;
  const width = monitor.days.length * 4 - 1;
  return html`<svg
    class="bars"
    viewBox="0 0 ${width} 28"
    preserveAspectRatio="none"
    role="img"
    aria-label="${label}"
  >
    <rect width="${width}" height="28" fill="url(#bar-up)" />
    ${noDataRuns(monitor.days)}${monitor.days.map(bar)}
  </svg>`;
}

function regions(monitor: PublicMonitor): Html {
  if (monitor.regions.length === 0) return html``;
  const text = monitor.regions.map((r) => `${r.status} in ${r.region}`).join(', ');
  return html`<p class="regions">${text}</p>`;
}

function detail(monitor: PublicMonitor): Html {
  const d = monitor.detail;
  if (d === null) return html``;
  const failing = d.failingNodes.length > 0 ? ` · failing from ${d.failingNodes.join(', ')}` : '';
  return html`<p class="detail">
    <code>${d.target}</code>${failing}${d.lastMessage === null ? '' : ` · ${d.lastMessage}`}
  </p>`;
}

function monitorRow(monitor: PublicMonitor): Html {
  return html`<li class="monitor">
    <div class="monitor-head">
      <span class="name">${monitor.name}</span
      ><span class="state state-${monitor.status}">${STATUS_LABELS[monitor.status]}</span>
    </div>
    ${bars(monitor)}
    <div class="bar-legend">
      <span>90 days ago</span><span>${percent(monitor.uptime['90d'])} uptime</span
      ><span>today</span>
    </div>
    ${regions(monitor)}${detail(monitor)}
  </li>`;
}

function incidentBlock(incident: PublicIncident): Html {
  const verdict = incident.verdict === 'regional' ? 'Regional outage' : 'Outage';
  const where = incident.regions.length > 0 ? ` (${incident.regions.join(', ')})` : '';
  const when =
    incident.resolvedAt === null
      ? `since ${utcTime(incident.startedAt)}`
      : `${utcTime(incident.startedAt)} – ${utcTime(incident.resolvedAt)} (${spanText(incident.resolvedAt - incident.startedAt)})`;
  const updates = incident.updates.map(
    (u) =>
      html`<li>
        <strong>${UPDATE_LABELS[u.status]}</strong> — ${u.message}
        <time datetime="${new Date(u.createdAt).toISOString()}">${utcTime(u.createdAt)}</time>
      </li>`,
  );
  return html`<article class="incident incident-${incident.status}">
    <h3>${verdict}: ${incident.monitorName}${where}</h3>
    <p class="meta"><span class="badge">${UPDATE_LABELS[incident.status]}</span> ${when}</p>
    ${incident.cause === null ? '' : html`<p class="detail">${incident.cause}</p>`}
    ${
      updates.length > 0
        ? html`<ul class="updates">
            ${updates}
          </ul>`
        : ''
    }
  </article>`;
}

function maintenanceBlock(m: PublicMaintenance): Html {
  const when = `${utcTime(m.start)} – ${utcTime(m.end)}`;
  return html`<article class="maintenance${m.active ? ' active' : ''}">
    <h3>${m.active ? 'In progress' : 'Scheduled'}: ${m.name}</h3>
    <p class="meta">${when} · ${m.monitorNames.join(', ')}</p>
    ${m.reason === null ? '' : html`<p>${m.reason}</p>`}
  </article>`;
}

/** The whole page (pure): model → HTML document. */
export function renderStatusPage(model: StatusPageModel): string {
  const base = pagePath(model.slug);
  const since = model.generatedAt - PAGE_PAST_DAYS * DAY_MS;
  const past = model.pastIncidents.filter((i) => (i.resolvedAt ?? 0) >= since);
  const doc = html`<!doctype html>
    <html lang="en">
      ${head(model.title, model.slug)}
      <body>
        ${BAR_PATTERN}
        <main>
          <header>
            <h1>${model.title}</h1>
            ${model.description === null ? '' : html`<p class="description">${model.description}</p>`}
            <p class="overall overall-${model.overall}" role="status">
              ${OVERALL_LABELS[model.overall]}
            </p>
          </header>
          ${
            model.activeIncidents.length > 0
              ? html`<section aria-labelledby="active">
                  <h2 id="active">Active incidents</h2>
                  ${model.activeIncidents.map(incidentBlock)}
                </section>`
              : ''
          }
          ${
            model.maintenance.length > 0
              ? html`<section aria-labelledby="maint">
                  <h2 id="maint">Maintenance</h2>
                  ${model.maintenance.map(maintenanceBlock)}
                </section>`
              : ''
          }
          ${model.groups.map(
            (g) =>
              html`<section class="group">
                <h2>${g.name}</h2>
                <ul class="monitors">
                  ${g.monitors.map(monitorRow)}
                </ul>
              </section>`,
          )}
          <section aria-labelledby="past">
            <h2 id="past">Past incidents</h2>
            ${past.length > 0 ? past.map(incidentBlock) : html`<p class="quiet">No incidents in the last ${PAGE_PAST_DAYS} days.</p>`}
          </section>
          <footer>
            <p>
              Updated ${utcTime(model.generatedAt)} · <a href="${base}/feed.rss">RSS</a> ·
              <a href="${base}/feed.atom">Atom</a> · <a href="${base}/summary.json">JSON</a>
            </p>
            <p class="quiet">Powered by Crosscheck</p>
          </footer>
        </main>
      </body>
    </html> `;
  return doc.text;
}

/** The 404 page: the same for an unknown slug and anything else not found. */
export function renderNotFoundPage(): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Not found</title>
        <link rel="stylesheet" href="${ASSET_PATHS.css}" />
        <link rel="icon" href="${ASSET_PATHS.favicon}" type="image/svg+xml" />
      </head>
      <body>
        <main>
          <header>
            <h1>Not found</h1>
            <p class="description">There is no status page here.</p>
          </header>
        </main>
      </body>
    </html> `.text;
}
