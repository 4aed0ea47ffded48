import type { Incident } from '../../api/incident-types.ts';
import { TableWrap } from '../../components/table-wrap.tsx';
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
import {
  formatAgo,
  formatDuration,
  formatLatency,
  formatTime,
  formatUptime,
} from '../../lib/format.ts';

const WINDOWS = ['24h', '7d', '30d', '90d'] as const;

function When({ at }: { at: number }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={formatTime(at)}>
      {formatAgo(at)}
    </time>
  );
}

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
    <TableWrap label="Uptime">
      <table class="table compact uptime-table">
        <thead>
          <tr>
            <th scope="col">Where</th>
            {WINDOWS.map((w) => (
              <th scope="col" key={w}>
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {row('Overall', (w) => overall[w])}
          {regions.map((region) => row(region, (w) => regionFigure(region, w)))}
        </tbody>
      </table>
    </TableWrap>
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
    <TableWrap label="Each node’s view">
      <table class="table compact node-views">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Region</th>
            <th scope="col">Status</th>
            <th scope="col">Latency</th>
            <th scope="col">Last error</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
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
                <td>
                  {result === undefined ? 'no recent result' : <When at={result.checkedAt} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
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
        <TableWrap label="Recent results">
          <table class="table compact results-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Node</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {props.page.items.map((result) => (
                <tr key={result.id}>
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
            </tbody>
          </table>
        </TableWrap>
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

const VOTE_WORD = {
  fail: 'down',
  ok: 'up',
  abstain: 'abstained',
  'no-answer': 'no answer',
} as const;

/** Decided rounds with every node's vote: why the monitor is in its state. */
export function RoundsTable({ rounds }: { rounds: readonly Round[] }) {
  if (rounds.length === 0) return <Empty>No rounds decided yet.</Empty>;
  return (
    <TableWrap label="Rounds and votes">
      <table class="table compact rounds-table">
        <thead>
          <tr>
            <th scope="col">Decided</th>
            <th scope="col">Purpose</th>
            <th scope="col">Verdict</th>
            <th scope="col">Votes</th>
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </TableWrap>
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
        </li>
      ))}
    </ul>
  );
}
