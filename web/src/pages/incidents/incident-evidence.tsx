import type { AlertLogEntry, IncidentExplanation } from '../../api/incident-types.ts';
import { DataTable } from '../../components/table-wrap.tsx';
import type { PhaseTimings, Round } from '../../api/monitor-types.ts';
import { Empty } from '../../components/feedback.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatLatency } from '../../lib/format.ts';
import { When } from '../../components/when.tsx';
import { VOTE_WORD } from './incident-format.ts';

function timingsText(timings: PhaseTimings): string {
  const parts: [string, number | undefined][] = [
    ['DNS', timings.dnsMs],
    ['connect', timings.connectMs],
    ['TLS', timings.tlsMs],
    ['first byte', timings.firstByteMs],
  ];
  const shown = parts.filter((part): part is [string, number] => part[1] !== undefined);
  return shown.length === 0
    ? '—'
    : shown.map(([name, ms]) => `${name} ${formatLatency(ms)}`).join(', ');
}

/** Why the verdict followed: the summary, the quorum rule and each round's reason. */
export function Explanation({ explanation }: { explanation: IncidentExplanation }) {
  return (
    <>
      <p class="explain-summary">{explanation.summary}</p>
      <p class="muted">Quorum: {explanation.quorum.rule}</p>
      {explanation.regionsDown.length > 0 && (
        <p>Regions that saw it down: {explanation.regionsDown.join(', ')}</p>
      )}
      <ol class="round-reasons">
        {explanation.rounds.map((round) => (
          <li key={round.id}>
            <When at={round.decidedAt} /> · {round.purpose} · <StateBadge state={round.verdict} />:{' '}
            {round.why}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Every node's vote in every round behind the incident, with what it measured. */
export function EvidenceTable({ rounds }: { rounds: readonly Round[] }) {
  if (rounds.length === 0) return <Empty>No rounds recorded.</Empty>;
  return (
    <DataTable
      label="Evidence"
      class="evidence-table"
      columns={['Round', 'Node', 'Region', 'Vote', 'Error', 'Latency', 'Timings']}
    >
      {rounds.flatMap((round) =>
        round.votes.map((vote) => (
          <tr key={`${round.id}-${vote.nodeId}`} data-vote={vote.outcome}>
            <td>
              <When at={round.decidedAt} /> ({round.purpose})
            </td>
            <th scope="row">{vote.nodeName}</th>
            <td>{vote.region ?? '—'}</td>
            <td>
              {VOTE_WORD[vote.outcome]}
              {vote.late && ' (late)'}
              {vote.setAside !== null && ` (set aside: ${vote.setAside})`}
            </td>
            <td>
              {vote.errorKind !== null && <code>{vote.errorKind}</code>} {vote.message}
            </td>
            <td>{formatLatency(vote.latencyMs)}</td>
            <td>{timingsText(vote.timings)}</td>
          </tr>
        )),
      )}
    </DataTable>
  );
}

function routeName(route: AlertLogEntry['route']): string {
  return 'target' in route ? route.target : route.channel;
}

/** Each alert decided for the incident: to which target, sent or suppressed, and why. */
export function AlertLogTable({ entries }: { entries: readonly AlertLogEntry[] }) {
  if (entries.length === 0) return <Empty>No alerts for this incident.</Empty>;
  return (
    <DataTable
      label="Alert log"
      class="alert-log-table"
      columns={['When', 'Kind', 'Target', 'Outcome', 'Why', 'Tries']}
    >
      {entries.map((entry) => (
        <tr key={entry.id} data-alert-status={entry.status}>
          <td>
            <When at={entry.at} />
          </td>
          <td>{entry.kind}</td>
          <th scope="row">{routeName(entry.route)}</th>
          <td>{entry.status}</td>
          <td>
            {entry.reason ?? ''}
            {entry.lastError !== null && ` (${entry.lastError})`}
          </td>
          <td>{entry.attempts}</td>
        </tr>
      ))}
    </DataTable>
  );
}
