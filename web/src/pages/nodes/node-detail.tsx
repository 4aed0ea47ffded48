import type { NodeDetail } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatAgo, formatTime } from '../../lib/format.ts';
import { navigate } from '../../state/router.ts';
import { isAdmin, session } from '../../state/session.ts';
import { useStore } from '../../state/store.ts';
import { useResource } from '../../state/use-resource.ts';
import { canariesText, nodeHealth, rateText } from './node-health.ts';
import { useNodeEvents } from './use-node-events.ts';
import './nodes.css';

/** One node: its facts, membership history and local failures; admins can remove it. */
export function NodeDetailPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const state = useStore(session);
  const admin = state.kind === 'signed-in' && isAdmin(state.user);
  const detail = useResource(
    (signal) => api.get<NodeDetail>(`/api/v1/nodes/${encodeURIComponent(id)}`, undefined, signal),
    [id],
  );
  useNodeEvents(detail.reload);

  async function remove(): Promise<void> {
    await api.delete(`/api/v1/nodes/${encodeURIComponent(id)}`);
    navigate('/nodes');
  }

  const node = detail.data?.node;
  return (
    <section class="node-detail">
      <PageHeader
        title={node === undefined ? 'Node' : `Node ${node.name}`}
        {...(node === undefined ? {} : { subtitle: `${node.role}, ${node.region ?? 'no region'}` })}
        actions={
          <>
            <a class="button subtle" href="/nodes">
              All nodes
            </a>
            {admin && node !== undefined && node.role === 'agent' && (
              <ConfirmButton
                label="Remove"
                question={`Remove ${node.name}? Its certificate is revoked.`}
                onConfirm={remove}
              />
            )}
          </>
        }
      />
      <ErrorNote error={detail.error} />
      {detail.data === undefined
        ? detail.loading && <Loading />
        : node !== undefined && (
            <>
              <div class="card">
                <dl>
                  <dt>State</dt>
                  <dd>
                    <StateBadge state={node.state} /> since {formatTime(node.stateSince)}
                  </dd>
                  <dt>Health</dt>
                  <dd>
                    <StateBadge state={nodeHealth(node)} />
                  </dd>
                  <dt>Canaries</dt>
                  <dd>{canariesText(node)}</dd>
                  <dt>Last seen</dt>
                  <dd>{formatAgo(node.lastSeen)}</dd>
                  <dt>Version</dt>
                  <dd>{node.version}</dd>
                  <dt>Check rate</dt>
                  <dd>{rateText(node)}</dd>
                  <dt>Outbox</dt>
                  <dd>{node.outboxBacklog ?? '—'}</dd>
                  <dt>Clock offset</dt>
                  <dd>{node.clockOffsetMs === null ? '—' : `${node.clockOffsetMs} ms`}</dd>
                  <dt>Address</dt>
                  <dd>{node.remoteAddress ?? '—'}</dd>
                  <dt>Enrolled</dt>
                  <dd>{formatTime(node.enrolledAt)}</dd>
                  <dt>Id</dt>
                  <dd>
                    <code>{node.id}</code>
                  </dd>
                </dl>
              </div>
              <h2>History</h2>
              {detail.data.events.length === 0 ? (
                <p class="muted">No state changes yet.</p>
              ) : (
                <TableWrap label="Membership history">
                  <table class="table">
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">From</th>
                        <th scope="col">To</th>
                      </tr>
                    </thead>
                    <tbody>
                      {detail.data.events.map((event) => (
                        <tr key={event.id}>
                          <td>{formatTime(event.at)}</td>
                          <td>{event.from ?? '—'}</td>
                          <td>{event.to}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
              <h2>Failures only this node saw (last day)</h2>
              {detail.data.anomalies.length === 0 ? (
                <p class="muted">None.</p>
              ) : (
                <ul>
                  {detail.data.anomalies.map((anomaly) => (
                    <li key={anomaly.roundId}>
                      {formatTime(anomaly.decidedAt)}:{' '}
                      <a href={`/monitors/${anomaly.monitorId}`}>{anomaly.monitorId}</a> —{' '}
                      {anomaly.message}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
    </section>
  );
}
