import { useEffect } from 'preact/hooks';
import { api } from '../api/client.ts';
import { subscribeLive } from '../api/events.ts';
import type { MonitorStatus, Page } from '../api/types.ts';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/feedback.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { formatAgo, formatLatency } from '../lib/format.ts';
import { useResource } from '../state/use-resource.ts';

/** Every monitor with its state; reloads when a shown monitor changes state. */
export function OverviewPage() {
  const page = useResource(
    (signal) => api.get<Page<MonitorStatus>>('/api/v1/status', { limit: 100 }, signal),
    [],
  );
  const ids = page.data?.items.map((item) => item.id) ?? [];
  const key = ids.join(',');
  useEffect(() => {
    if (ids.length === 0) return undefined;
    return subscribeLive(
      { monitor: ids, types: ['monitor.state', 'monitor.changed'] },
      () => page.reload(),
      () => page.reload(),
    );
    // Resubscribe only when the set of shown monitors changes.
  }, [key]);

  return (
    <section>
      <PageHeader title="Monitors" />
      <ErrorNote error={page.error} />
      {page.data === undefined ? (
        page.loading && <Loading />
      ) : page.data.items.length === 0 ? (
        <Empty>No monitors yet.</Empty>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Monitor</th>
              <th scope="col">State</th>
              <th scope="col">Latency</th>
              <th scope="col">Last check</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((monitor) => (
              <tr key={monitor.id} data-monitor={monitor.name}>
                <td>{monitor.name}</td>
                <td>
                  <StateBadge state={monitor.status} />
                </td>
                <td>{formatLatency(monitor.lastLatencyMs)}</td>
                <td>{formatAgo(monitor.lastCheckedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
