import type { Incident } from '../../api/incident-types.ts';
import { formatAgo, formatTime } from '../../lib/format.ts';

/** An incident's verdict in words, with the regions a regional one names. */
export function verdictText(incident: Pick<Incident, 'verdict' | 'regions'>): string {
  return incident.verdict === 'regional'
    ? `regional: ${incident.regions.join(', ')}`
    : 'down for everyone';
}

/** A time as "5m ago" with the exact local time on hover and for machines. */
export function When({ at }: { at: number | null }) {
  if (at === null) return <span>—</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={formatTime(at)}>
      {formatAgo(at)}
    </time>
  );
}
