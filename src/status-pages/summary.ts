import type { StatusPageModel } from './model.ts';

/**
 * The page's current state for machines (`summary.json`): the overall and per-monitor status,
 * uptime, open incidents and maintenance. No day bars (the page has them) and nothing the page
 * itself would not show.
 */
export function pageSummary(model: StatusPageModel) {
  return {
    page: { slug: model.slug, title: model.title },
    generatedAt: new Date(model.generatedAt).toISOString(),
    status: model.overall,
    groups: model.groups.map((g) => ({
      name: g.name,
      monitors: g.monitors.map((m) => ({
        id: m.id,
        name: m.name,
        status: m.status,
        uptime: m.uptime,
        ...(model.showRegions ? { regions: m.regions } : {}),
      })),
    })),
    activeIncidents: model.activeIncidents.map((i) => ({
      id: i.id,
      monitorId: i.monitorId,
      monitor: i.monitorName,
      verdict: i.verdict,
      status: i.status,
      startedAt: new Date(i.startedAt).toISOString(),
      latestUpdate: i.updates[0]?.message ?? null,
      ...(model.showRegions ? { regions: i.regions } : {}),
    })),
    maintenance: model.maintenance.map((m) => ({
      name: m.name,
      active: m.active,
      start: new Date(m.start).toISOString(),
      end: new Date(m.end).toISOString(),
    })),
  };
}
