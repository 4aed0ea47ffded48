import type { Incident } from '../../api/incident-types.ts';
import { DataTable } from '../../components/table-wrap.tsx';
import { When } from '../../components/when.tsx';
import { VOTE_WORD } from '../incidents/incident-format.ts';
import type {
  CheckResult,
  MonitorStatusDetail,
  NodeUptime,
  Round,
  UptimeView,
  UptimeWindows,
} from '../../api/monitor-types.ts';
import type { Page } from '../../api/types.ts';
import { Empty } from '../../components/feedback.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatDuration, formatLatency, formatTime, formatUptime } from '../../lib/format.ts';

const WINDOWS = ['24h', '7d', '30d', '90d'] as const;

/**
 * Uptime overall (monitors.status) and per region: 24 h, 7 d and 30 d from monitors.uptime; 90 d
 * per region only where the status names the region (a regional incident), since the uptime
 * view goes back 30 days.
 */
export function UptimeTable(props: {
  status: MonitorStatusDetail;
  perRegion: Partial<Record<(typeof WINDOWS)[number], UptimeView>>;
}) {
  const regions = [
    ...new Set(Object.values(props.perRegion).flatMap((view) => view.regions.map((r) => r.region))),
  ].sort();
  const regionFigure = (region: string, window: (typeof WINDOWS)[number]): number | null => {
    const view = props.perRegion[window];
    if (view !== undefined) return view.regions.find((r) => r.region === region)?.uptime ?? null;
    const named = props.status.regionUptime.find((r) => r.region === region);
    return named?.uptime[window] ?? null;
  };
  const row = (label: string, figures: (w: (typeof WINDOWS)[number]) => number | null) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      {WINDOWS.map((w) => (
        <td key={w}>{formatUptime(figures(w))}</td>
      ))}
    </tr>
  );
  const overall: UptimeWindows = props.status.uptime;
  return (
    <DataTable label="Uptime" class="uptime-table" columns={['Where', ...WINDOWS]}>
      {row('Overall', (w) => overall[w])}
      {regions.map((region) => row(region, (w) => regionFigure(region, w)))}
    </DataTable>
  );
}

/** Each node's latest result: what that node sees right now. */
export function NodeViews(props: {
  nodes: readonly NodeUptime[];
  results: readonly CheckResult[];
}) {
  const latest = new Map<string, CheckResult>();
  for (const result of props.results)
    if (!latest.has(result.nodeId)) latest.set(result.nodeId, result);
  const known = new Map(props.nodes.map((node) => [node.nodeId, node]));
  const ids = [...new Set([...known.keys(), ...latest.keys()])];
  if (ids.length === 0) return <Empty>No node has checked it yet.</Empty>;
  return (
    <DataTable
      label="Each node’s view"
      class="node-views"
      columns={['Node', 'Region', 'Status', 'Latency', 'Last error', 'When']}
    >
      {ids.map((id) => {
        const node = known.get(id);
        const result = latest.get(id);
        return (
          <tr key={id} data-node={node?.name ?? id}>
            <th scope="row">{node?.name ?? id}</th>
            <td>{node?.region ?? '—'}</td>
            <td>{result === undefined ? '—' : <StateBadge state={result.status} />}</td>
            <td>{formatLatency(result?.latencyMs ?? null)}</td>
            <td>{result !== undefined && result.status !== 'up' ? result.message : ''}</td>
            <td>{result === undefined ? 'no recent result' : <When at={result.checkedAt} />}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/** Recent results, newest first, one page at a time. */
export function ResultsTable(props: {
  page: Page<CheckResult>;
  nodeName: (id: string) => string;
  onNewer?: (() => void) | undefined;
  onOlder?: (() => void) | undefined;
}) {
  return (
    <>
      {props.page.items.length === 0 ? (
        <Empty>No results yet.</Empty>
      ) : (
        <DataTable
          label="Recent results"
          class="results-table"
          columns={['When', 'Node', 'Status', 'Latency', 'Message']}
        >
          {props.page.items.map((result) => (
            <tr key={result.id} data-result={result.id}>
              <td>
                <When at={result.checkedAt} />
              </td>
              <td>{props.nodeName(result.nodeId)}</td>
              <td>
                <StateBadge state={result.status} />
              </td>
              <td>{formatLatency(result.latencyMs)}</td>
              <td>{result.message}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <div class="pager">
        <button
          type="button"
          class="button subtle"
          disabled={props.onNewer === undefined}
          onClick={props.onNewer}
        >
          Newest
        </button>
        <button
          type="button"
          class="button subtle"
          disabled={props.onOlder === undefined}
          onClick={props.onOlder}
        >
          Older
        </button>
      </div>
    </>
  );
}

/** Decided rounds with every node's vote: why the monitor is in its state. */
export function RoundsTable({ rounds }: { rounds: readonly Round[] }) {
  if (rounds.length === 0) return <Empty>No rounds decided yet.</Empty>;
  return (
    <DataTable
      label="Rounds and votes"
      class="rounds-table"
      columns={['Decided', 'Purpose', 'Verdict', 'Votes']}
    >
      {rounds.map((round) => (
        <tr key={round.id}>
          <td>
            <When at={round.decidedAt} />
          </td>
          <td>{round.purpose}</td>
          <td>
            <StateBadge state={round.verdict} />
            {round.regions.length > 0 && ` ${round.regions.join(', ')}`}
          </td>
          <td>
            <ul class="votes">
              {round.votes.map((vote) => (
                <li key={vote.nodeId}>
                  {vote.nodeName}
                  {vote.region !== null && ` (${vote.region})`}: {VOTE_WORD[vote.outcome]}
                  {vote.late && ', late'}
                  {vote.setAside !== null && `, set aside: ${vote.setAside}`}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** This monitor's incidents with links to their pages. */
export function MonitorIncidents({ incidents }: { incidents: readonly Incident[] }) {
  if (incidents.length === 0) return <Empty>No incidents.</Empty>;
  return (
    <ul class="incident-links">
      {incidents.map((incident) => (
        <li key={incident.id}>
          <a href={`/incidents/${encodeURIComponent(incident.id)}`}>
            {incident.verdict === 'regional' ? `Regional (${incident.regions.join(', ')})` : 'Down'}{' '}
            since {formatTime(incident.startedAt)}
          </a>{' '}
          <StateBadge state={incident.status} />
          {incident.durationMs !== null && ` for ${formatDuration(incident.durationMs)}`}
          {incident.causedBy !== null && (
            <span class="muted"> · caused by {incident.causedBy.monitorName}</span>
          )}
          {incident.groupId !== null && <span class="muted"> · grouped with others</span>}
        </li>
      ))}
    </ul>
  );
}
