import { api } from '../../api/client.ts';
import { DataTable } from '../../components/table-wrap.tsx';
import type { IncidentListItem } from '../../api/incident-types.ts';
import type { Page } from '../../api/types.ts';
import { Empty, ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatDuration } from '../../lib/format.ts';
import { useSearchParams } from '../../state/router.ts';
import { useLiveTicks } from '../../state/use-live-ticks.ts';
import { useResource } from '../../state/use-resource.ts';
import { verdictText } from './incident-format.ts';
import { When } from '../../components/when.tsx';
import './incidents.css';

const INCIDENT_EVENTS = [
  'incident.opened',
  'incident.updated',
  'incident.resolved',
  'incident.update.posted',
] as const;
const PAGE_SIZE = 200;

type StatusFilter = 'all' | 'open' | 'resolved';

/** Open incidents first, then newest first (the API's order) within each part. */
function timeline(items: readonly IncidentListItem[], filter: StatusFilter): IncidentListItem[] {
  const shown = items.filter((incident) =>
    filter === 'all'
      ? true
      : filter === 'open'
        ? incident.status === 'open'
        : incident.status !== 'open',
  );
  return [
    ...shown.filter((incident) => incident.status === 'open'),
    ...shown.filter((incident) => incident.status !== 'open'),
  ];
}

/** Every incident, newest first with open ones on top; new ones appear as they open. */
export function IncidentsPage() {
  const [search, setSearch] = useSearchParams();
  const statusParam = search.get('status');
  const filter: StatusFilter =
    statusParam === 'open' || statusParam === 'resolved' ? statusParam : 'all';
  const monitor = search.get('monitor') ?? '';
  const ticks = useLiveTicks({ types: INCIDENT_EVENTS }, 'incidents');

  const monitors = useResource(
    (signal) =>
      api.get<Page<{ id: string; name: string }>>('/api/v1/monitors', { limit: 10_000 }, signal),
    [],
  );
  const incidents = useResource(
    (signal) =>
      api.get<Page<IncidentListItem>>(
        '/api/v1/incidents',
        {
          limit: PAGE_SIZE,
          ...(filter === 'open' ? { active: true } : {}),
          ...(monitor !== '' ? { monitor } : {}),
        },
        signal,
      ),
    [filter, monitor, ticks.incidents],
  );
  const names = new Map((monitors.data?.items ?? []).map((m) => [m.id, m.name]));
  const setFilters = (next: { status?: string; monitor?: string }): void =>
    setSearch({
      status: next.status ?? (filter === 'all' ? '' : filter),
      monitor: next.monitor ?? monitor,
    });

  const rows = timeline(incidents.data?.items ?? [], filter);
  return (
    <section class="incidents-page">
      <PageHeader title="Incidents" />
      <div class="toolbar">
        <label>
          Status{' '}
          <select
            value={filter}
            onChange={(e) =>
              setFilters({ status: e.currentTarget.value === 'all' ? '' : e.currentTarget.value })
            }
          >
            <option value="all">all</option>
            <option value="open">open</option>
            <option value="resolved">resolved</option>
          </select>
        </label>
        <label>
          Monitor{' '}
          <select value={monitor} onChange={(e) => setFilters({ monitor: e.currentTarget.value })}>
            <option value="">all monitors</option>
            {(monitors.data?.items ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={incidents.error} />
      {incidents.data === undefined ? (
        incidents.loading && <Loading />
      ) : rows.length === 0 ? (
        <Empty>No incidents.</Empty>
      ) : (
        <DataTable
          label="Incidents"
          class="incidents-table"
          columns={[
            'Monitor',
            'Status',
            'Verdict',
            'Started',
            'Ended',
            'Duration',
            'Acknowledged by',
            'Latest update',
          ]}
        >
          {rows.map((incident) => (
            <tr key={incident.id} data-incident={incident.id}>
              <th scope="row">
                <a href={`/incidents/${encodeURIComponent(incident.id)}`}>
                  {names.get(incident.monitorId) ?? incident.monitorId}
                </a>
              </th>
              <td>
                <StateBadge state={incident.status} />
              </td>
              <td>{verdictText(incident)}</td>
              <td>
                <When at={incident.startedAt} />
              </td>
              <td>
                <When at={incident.endedAt} />
              </td>
              <td>
                {incident.durationMs !== null
                  ? formatDuration(incident.durationMs)
                  : `${formatDuration(Date.now() - incident.startedAt)} so far`}
              </td>
              <td>{incident.acknowledgement?.by ?? '—'}</td>
              <td class="latest-update">
                {incident.latestUpdate === null ? (
                  '—'
                ) : (
                  <>
                    <strong>{incident.latestUpdate.status}</strong>
                    {incident.latestUpdate.public ? '' : ' (note)'}: {incident.latestUpdate.message}
                  </>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
