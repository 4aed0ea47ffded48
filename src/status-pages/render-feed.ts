import { Feed } from 'feed';
import { UPDATE_LABELS, utcTime } from './format.ts';
import type { PublicIncident, StatusPageModel } from './model.ts';
import { pagePath } from './render-page.ts';

/** Most incidents a feed carries. */
const MAX_ITEMS = 50;

function itemText(incident: PublicIncident): string {
  const lines = incident.updates.map(
    (u) => `${UPDATE_LABELS[u.status]} (${utcTime(u.createdAt)}): ${u.message}`,
  );
  const span =
    incident.resolvedAt === null
      ? `Ongoing since ${utcTime(incident.startedAt)}.`
      : `From ${utcTime(incident.startedAt)} to ${utcTime(incident.resolvedAt)}.`;
  return [span, ...lines].join('\n');
}

/**
 * The page's incidents (open and of the feed period) as a feed, each with its public updates.
 * `origin` is the scheme and host the request came to, for the absolute links feeds need.
 */
function buildFeed(model: StatusPageModel, origin: string): Feed {
  const link = `${origin}${pagePath(model.slug)}`;
  const incidents = [...model.activeIncidents, ...model.pastIncidents]
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, MAX_ITEMS);
  const latest = Math.max(
    0,
    ...incidents.flatMap((i) => [
      i.startedAt,
      i.resolvedAt ?? 0,
      ...i.updates.map((u) => u.createdAt),
    ]),
  );
  const feed = new Feed({
    id: link,
    title: `${model.title} — incidents`,
    ...(model.description === null ? {} : { description: model.description }),
    link,
    updated: new Date(latest === 0 ? model.generatedAt : latest),
    generator: 'Crosscheck',
    feedLinks: { rss: `${link}/feed.rss`, atom: `${link}/feed.atom` },
    copyright: '',
  });
  for (const incident of incidents) {
    const kind = incident.verdict === 'regional' ? 'Regional outage' : 'Outage';
    const lastUpdate = incident.updates[0]?.createdAt ?? 0;
    feed.addItem({
      id: `${link}#${incident.id}`,
      guid: `${link}#${incident.id}`,
      title: `${kind}: ${incident.monitorName} — ${UPDATE_LABELS[incident.status]}`,
      link: `${link}#${incident.id}`,
      date: new Date(Math.max(incident.startedAt, incident.resolvedAt ?? 0, lastUpdate)),
      published: new Date(incident.startedAt),
      description: itemText(incident),
    });
  }
  return feed;
}

export function renderRss(model: StatusPageModel, origin: string): string {
  return buildFeed(model, origin).rss2();
}

export function renderAtom(model: StatusPageModel, origin: string): string {
  return buildFeed(model, origin).atom1();
}
