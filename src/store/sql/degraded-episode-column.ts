import { z } from 'zod';
import type { DegradedEpisode } from '../../domain/degraded-episode.ts';
import type { ColumnRef } from './json-column.ts';
import { corrupt, parseJson } from './json-column.ts';

// monitor_state.degraded_episode (migration 0014): the open degraded episode as JSON.

const episodeSchema = z.object({
  id: z.string().min(1),
  startedAt: z.number(),
  openedAt: z.number(),
  suppressed: z.boolean(),
  openings: z.record(z.string(), z.string()),
});

const WHERE: ColumnRef = { table: 'monitor_state', column: 'degraded_episode' };

/** The column's value for an episode (null when none is open). */
export function degradedEpisodeColumn(episode: DegradedEpisode | null): string | null {
  if (episode === null) return null;
  const { id, startedAt, openedAt, suppressed, openings } = episode;
  return JSON.stringify({ id, startedAt, openedAt, suppressed, openings });
}

/** The stored episode; null for none (and for rows written before migration 0014). */
export function parseDegradedEpisode(text: string | null | undefined): DegradedEpisode | null {
  if (text === null || text === undefined) return null;
  const parsed = episodeSchema.safeParse(parseJson(text, WHERE));
  if (!parsed.success)
    throw corrupt(WHERE, 'expected { id, startedAt, openedAt, suppressed, openings }');
  return parsed.data;
}
