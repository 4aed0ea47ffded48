import { useEffect } from 'preact/hooks';
import type { ClusterOverview, NodeView } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { Empty, ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatAgo } from '../../lib/format.ts';
import { isAdmin, session } from '../../state/session.ts';
import { useStore } from '../../state/store.ts';
import { useResource } from '../../state/use-resource.ts';
import { JoinTokenPanel } from './join-token-panel.tsx';
import { byRegion, canariesText, nodeHealth, rateText } from './node-health.ts';
import { useNodeEvents } from './use-node-events.ts';
import './nodes.css';

/** "Last seen" and check rates drift between events; a slow refresh keeps them honest. */
const REFRESH_MS = 15_000;

interface NodesData {
  nodes: NodeView[];
  overview: ClusterOverview | null;
}

async function loadNodes(signal: AbortSignal): Promise<NodesData> {
  const [nodes, overview] = await Promise.all([
    api.get<Page<NodeView>>('/api/v1/nodes', undefined, signal),
    api.get<ClusterOverview | null>('/api/v1/cluster', undefined, signal),
  ]);
  return { nodes: nodes.items, overview };
}

function NodeLink({ node }: { node: NodeView }) {
  return <a href={`/nodes/${encodeURIComponent(node.id)}`}>{node.name}</a>;
}

function HealthBadge({ node }: { node: NodeView }) {
  const health = nodeHealth(node);
  return health === 'healthy' ? null : <StateBadge state={health} />;
}

function RegionGrid({ nodes }: { nodes: NodeView[] }) {
  return (
    <div class="region-grid">
      {byRegion(nodes).map((group) => {
        const online = group.nodes.filter((node) => node.state === 'online').length;
        const label = group.region ?? 'No region';
        return (
          <section
            class="card region-card"
            key={label}
            data-region={group.region ?? ''}
            aria-label={`Region ${label}`}
          >
            <h2>
              {label}{' '}
              <span class="muted">
                {online}/{group.nodes.length} online
              </span>
            </h2>
            <ul>
              {group.nodes.map((node) => (
                <li key={node.id} data-node={node.name}>
                  <NodeLink node={node} />
                  <span>
                    <StateBadge state={node.state} /> <HealthBadge node={node} />
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function NodesTable({ nodes }: { nodes: NodeView[] }) {
  return (
    <TableWrap label="Every node">
      <table class="table">
        <caption class="visually-hidden">Every node</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Region</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Canaries</th>
            <th scope="col">Last seen</th>
            <th scope="col">Version</th>
            <th scope="col">Check rate</th>
            <th scope="col">Outbox</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => (
            <tr key={node.id} data-node-row={node.name}>
              <th scope="row">
                <NodeLink node={node} />
              </th>
              <td>{node.region ?? '—'}</td>
              <td>{node.role}</td>
              <td>
                <StateBadge state={node.state} /> <HealthBadge node={node} />
              </td>
              <td>{canariesText(node)}</td>
              <td>{formatAgo(node.lastSeen)}</td>
              <td>{node.version}</td>
              <td>{rateText(node)}</td>
              <td>{node.outboxBacklog ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The cluster's nodes by region and in a table, kept current by node.state events. */
export function NodesPage() {
  const state = useStore(session);
  const admin = state.kind === 'signed-in' && isAdmin(state.user);
  const data = useResource(loadNodes, []);
  useNodeEvents(data.reload);
  useEffect(() => {
    const timer = setInterval(data.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [data.reload]);

  const overview = data.data?.overview;
  return (
    <section>
      <PageHeader
        title="Nodes"
        {...(overview === undefined || overview === null
          ? {}
          : {
              subtitle: `${overview.nodes.online} of ${overview.nodes.total} online · coordinator ${overview.coordinator.name}`,
            })}
      />
      <ErrorNote error={data.error} />
      {data.data === undefined ? (
        data.loading && <Loading />
      ) : data.data.nodes.length === 0 ? (
        <Empty>No nodes.</Empty>
      ) : (
        <>
          <RegionGrid nodes={data.data.nodes} />
          <NodesTable nodes={data.data.nodes} />
        </>
      )}
      {admin && <JoinTokenPanel />}
    </section>
  );
}
