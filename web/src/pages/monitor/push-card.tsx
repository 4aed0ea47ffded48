import { api } from '../../api/client.ts';
import type { MonitorConfig } from '../../api/monitor-types.ts';
import { SecretOnce } from '../../components/secret-once.tsx';
import { formatDuration } from '../../lib/format.ts';
import { useResource } from '../../state/use-resource.ts';

/** What `monitors.push-url` answers (docs/push.md). */
interface PushUrl {
  path: string;
}

/** The schedule of a push monitor's options, in words. */
export function pushSchedule(options: Record<string, unknown>): string {
  const grace = typeof options['graceMs'] === 'number' ? options['graceMs'] : 3_600_000;
  const cron = options['cron'];
  if (typeof cron === 'string') {
    const zone = typeof options['timezone'] === 'string' ? options['timezone'] : 'UTC';
    return `cron "${cron}" in ${zone}, ${formatDuration(grace)} grace`;
  }
  const period = typeof options['periodMs'] === 'number' ? options['periodMs'] : 86_400_000;
  return `every ${formatDuration(period)}, ${formatDuration(grace)} grace`;
}

/**
 * A push monitor's ping URL (editors only: the token is its credential) with a copy button,
 * and its schedule. Judged by the coordinator alone from these pings (no quorum).
 */
export function PushCard(props: { monitor: MonitorConfig; editor: boolean }) {
  const { monitor, editor } = props;
  const url = useResource(
    (signal) =>
      editor
        ? api.get<PushUrl>(
            `/api/v1/monitors/${encodeURIComponent(monitor.id)}/push-url`,
            undefined,
            signal,
          )
        : Promise.resolve(undefined),
    [monitor.id, editor, JSON.stringify(monitor.options)],
  );
  return (
    <section class="card" aria-labelledby="push-title">
      <h2 id="push-title">Push URL</h2>
      <p>
        Schedule: <strong>{pushSchedule(monitor.options)}</strong>. The coordinator judges this
        monitor from the pings its job sends (no quorum); add <code>/start</code>,{' '}
        <code>/fail</code> or <code>?status=down&amp;msg=…</code> as needed.
      </p>
      {url.data !== undefined ? (
        <SecretOnce
          id="push-url"
          label="Ping URL"
          value={new URL(url.data.path, window.location.origin).toString()}
          note="Anyone with this URL can report for the job: keep it secret, rotate it if it leaks."
        />
      ) : (
        <p class="hint">
          {editor
            ? url.error
              ? 'The ping URL could not be loaded.'
              : 'Loading…'
            : 'Editors see the ping URL.'}
        </p>
      )}
    </section>
  );
}
