import { formatAgo, formatTime } from '../lib/format.ts';

/** A time as "5m ago", with the exact local time on hover and for machines. */
export function When({ at }: { at: number | null }) {
  if (at === null) return <span>—</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={formatTime(at)}>
      {formatAgo(at)}
    </time>
  );
}
