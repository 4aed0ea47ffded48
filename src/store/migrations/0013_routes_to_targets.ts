import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { shortHash } from '../../lib/canonical-hash.ts';
import type { SqlDialectName } from '../sql/schema.ts';

interface InlineRoute {
  channel: string;
  settings: Record<string, unknown>;
}

/**
 * Per-monitor and node alert routes that carried their own channel settings become named
 * targets (`<channel>-<hash of the settings>`, one per distinct channel + settings), and the
 * routes name them, so a secret is stored once and fixed in one place. Routes that already name
 * a target, and anything unreadable, are left as they are.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  const now = Date.now();
  const created = new Set<string>();
  const existing = await sql<{ name: string }>`select name from alert_targets`.execute(db);
  for (const row of existing.rows) created.add(row.name);

  async function targetFor(route: InlineRoute): Promise<string> {
    const name = `${route.channel}-${shortHash(route.settings)}`;
    if (!created.has(name)) {
      await sql`insert into alert_targets (id, name, type, settings, template, created_at, updated_at)
        values (${`tgt_${randomUUID()}`}, ${name}, ${route.channel}, ${JSON.stringify(route.settings)}, ${null}, ${now}, ${now})`.execute(
        db,
      );
      created.add(name);
    }
    return name;
  }

  async function convert(text: string): Promise<string | undefined> {
    let routes: unknown;
    try {
      routes = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!Array.isArray(routes) || !routes.some(isInline)) return undefined;
    const converted: unknown[] = [];
    for (const route of routes) {
      converted.push(
        isInline(route)
          ? {
              target: await targetFor(route),
              events: null,
              repeatEveryMs: null,
              escalateAfterMs: null,
            }
          : route,
      );
    }
    return JSON.stringify(converted);
  }

  const monitors = await sql<{ id: string; alerts: string; regional_alerts: string }>`
    select id, alerts, regional_alerts from monitors`.execute(db);
  for (const monitor of monitors.rows) {
    const alerts = await convert(monitor.alerts);
    const regional = await convert(monitor.regional_alerts);
    if (alerts === undefined && regional === undefined) continue;
    await sql`update monitors set alerts = ${alerts ?? monitor.alerts},
      regional_alerts = ${regional ?? monitor.regional_alerts} where id = ${monitor.id}`.execute(
      db,
    );
  }
  const nodeRoutes = await sql<{ value: string }>`
    select value from meta where key = ${'node_alert_routes'}`.execute(db);
  const stored = nodeRoutes.rows[0];
  if (stored !== undefined) {
    const converted = await convert(stored.value);
    if (converted !== undefined) {
      await sql`update meta set value = ${converted} where key = ${'node_alert_routes'}`.execute(
        db,
      );
    }
  }
}

function isInline(route: unknown): route is InlineRoute {
  return (
    typeof route === 'object' &&
    route !== null &&
    typeof (route as { channel?: unknown }).channel === 'string' &&
    typeof (route as { settings?: unknown }).settings === 'object' &&
    (route as { settings?: unknown }).settings !== null
  );
}
