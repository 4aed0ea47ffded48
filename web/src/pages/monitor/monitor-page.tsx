import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { Incident } from '../../api/incident-types.ts';
import type {
  CheckResult,
  MonitorConfig,
  MonitorStatusDetail,
  Round,
  UptimeView,
} from '../../api/monitor-types.ts';
import type { Page } from '../../api/types.ts';
import { ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { formatLatency } from '../../lib/format.ts';
import { canEdit, session } from '../../state/session.ts';
import { useStore } from '../../state/store.ts';
import { useResource } from '../../state/use-resource.ts';
import { LatencyChart, loadUPlot } from './latency-chart.tsx';
import type { SeriesGrouping } from './latency-series.ts';
import { latencySeries } from './latency-series.ts';
import { MonitorActions } from './monitor-actions.tsx';
import { PushCard } from './push-card.tsx';
import {
  MonitorIncidents,
  NodeViews,
  ResultsTable,
  RoundsTable,
  UptimeTable,
} from './monitor-sections.tsx';
import { useLiveTicks } from '../../state/use-live-ticks.ts';
import './monitor.css';

const RANGES = ['1h', '24h', '7d'] as const;
type Range = (typeof RANGES)[number];
/** Results drawn at most: a week of one-minute checks from a few nodes. */
const CHART_LIMIT = 10_000;
const RESULTS_PAGE = 25;
const LATEST_LIMIT = 500;

const path = (id: string): string => `/api/v1/monitors/${encodeURIComponent(id)}`;

async function statusOf(id: string, signal: AbortSignal): Promise<MonitorStatusDetail> {
  return api.get<MonitorStatusDetail>(`${path(id)}/status`, undefined, signal);
}

function uptimeOf(id: string, window: string, signal: AbortSignal): Promise<UptimeView> {
  return api.get<UptimeView>(`${path(id)}/uptime`, { window }, signal);
}

async function longerUptime(id: string, signal: AbortSignal) {
  const [week, month] = await Promise.all([
    uptimeOf(id, '7d', signal),
    uptimeOf(id, '30d', signal),
  ]);
  return { '7d': week, '30d': month };
}

/** One monitor: its state, latency, uptime, each node's view, results, rounds and incidents. */
export function MonitorPage({ params }: { params: Record<string, string> }) {
  const id = params['id'] ?? '';
  const state = useStore(session);
  const editor = state.kind === 'signed-in' && canEdit(state.user);
  const [range, setRange] = useState<Range>('1h');
  const [grouping, setGrouping] = useState<SeriesGrouping>('node');
  const [cursors, setCursors] = useState<string[]>([]);
  const ticks = useLiveTicks({ monitor: [id] }, id);

  // The chart's code loads while its data is on the way (a failure shows on the chart).
  useMemo(() => void loadUPlot().catch(() => undefined), []);

  // Requests go out in the order the page needs them, and the daemon answers them in turn: the
  // header (config, status) and the chart first, then the per-region and per-node uptime, then
  // the tables below the fold.
  const config = useResource(
    (signal) => api.get<MonitorConfig>(path(id), undefined, signal),
    [id, ticks.state],
  );
  const status = useResource((signal) => statusOf(id, signal), [id, ticks.state]);
  // The last day's view names the nodes the chart's lines are labelled with.
  const day = useResource((signal) => uptimeOf(id, '24h', signal), [id, ticks.state]);
  const chartResults = useResource(
    (signal) =>
      api.get<Page<CheckResult>>(
        '/api/v1/results',
        { monitor: id, since: range, limit: CHART_LIMIT },
        signal,
      ),
    // The last hour follows new results; longer ranges change too little to refetch each time.
    [id, range, range === '1h' ? ticks.results : 0],
  );
  const longer = useResource((signal) => longerUptime(id, signal), [id, ticks.state]);
  // Each node's newest result: the last hour holds one from every node still checking it. On
  // the default range the chart's results are that hour already, so nothing more is fetched.
  const ownHour = range !== '1h';
  const latestHour = useResource(
    (signal) =>
      ownHour
        ? api.get<Page<CheckResult>>(
            '/api/v1/results',
            { monitor: id, since: '1h', limit: LATEST_LIMIT },
            signal,
          )
        : Promise.resolve(undefined),
    [id, ownHour, ownHour ? ticks.results : 0],
  );
  const latest = ownHour ? latestHour : chartResults;
  const cursor = cursors[cursors.length - 1];
  const results = useResource(
    (signal) =>
      api.get<Page<CheckResult>>(
        '/api/v1/results',
        { monitor: id, limit: RESULTS_PAGE, ...(cursor !== undefined ? { cursor } : {}) },
        signal,
      ),
    // Older pages stay put while new results arrive; the newest page follows them.
    [id, cursor, cursor === undefined ? ticks.results : 0],
  );
  const rounds = useResource(
    (signal) => api.get<Page<Round>>(`${path(id)}/rounds`, { limit: 10 }, signal),
    [id, ticks.state, ticks.incidents],
  );
  const incidents = useResource(
    (signal) => api.get<Page<Incident>>('/api/v1/incidents', { monitor: id, limit: 20 }, signal),
    [id, ticks.incidents],
  );

  const nodes = day.data?.nodes ?? [];
  const series = useMemo(
    () => latencySeries(chartResults.data?.items ?? [], nodes, grouping),
    [chartResults.data, day.data, grouping],
  );
  // Lines are drawn once their nodes have names, not relabelled from ids a moment later.
  const chartReady = chartResults.data !== undefined && (day.data !== undefined || !day.loading);
  const perRegion = { ...(day.data !== undefined && { '24h': day.data }), ...longer.data };
  const nodeName = (nodeId: string): string =>
    nodes.find((node) => node.nodeId === nodeId)?.name ?? nodeId;

  if (config.data === undefined)
    return (
      <section>
        <ErrorNote error={config.error} />
        {config.loading && <Loading />}
      </section>
    );
  const monitor = config.data;
  const view = status.data;
  const stateWord = monitor.paused ? 'paused' : (view?.status ?? 'pending');
  const nextCursor = results.data?.nextCursor ?? null;

  return (
    <section class="monitor-page">
      <PageHeader title={monitor.name} subtitle={`${monitor.type} · ${monitor.target}`} />
      <div class="monitor-facts">
        <StateBadge state={stateWord} />
        {view?.verdict != null && (
          <span>
            Last verdict: <strong>{view.verdict}</strong>
            {view.regions.length > 0 && ` (${view.regions.join(', ')})`}
          </span>
        )}
        {monitor.group !== null && <span>Group: {monitor.group}</span>}
        {monitor.tags.length > 0 && <span>Tags: {monitor.tags.join(', ')}</span>}
        {view !== undefined && <span>Latency: {formatLatency(view.lastLatencyMs)}</span>}
        {view?.openIncidentId != null && (
          <a href={`/incidents/${encodeURIComponent(view.openIncidentId)}`}>Open incident</a>
        )}
      </div>
      {editor && <MonitorActions monitor={monitor} onChanged={config.reload} />}
      {monitor.type === 'push' && <PushCard monitor={monitor} editor={editor} />}

      <section class="card" aria-labelledby="latency-title">
        <div class="section-head">
          <h2 id="latency-title">Latency</h2>
          <div class="toolbar">
            <label>
              Range{' '}
              <select value={range} onChange={(e) => setRange(e.currentTarget.value as Range)}>
                {RANGES.map((r) => (
                  <option key={r} value={r}>
                    last {r}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Lines{' '}
              <select
                value={grouping}
                onChange={(e) => setGrouping(e.currentTarget.value as SeriesGrouping)}
              >
                <option value="node">per node</option>
                <option value="region">per region</option>
              </select>
            </label>
          </div>
        </div>
        <ErrorNote error={chartResults.error} />
        {chartReady ? <LatencyChart series={series} /> : <Loading />}
      </section>

      <section class="card" aria-labelledby="uptime-title">
        <h2 id="uptime-title">Uptime</h2>
        <ErrorNote error={status.error ?? day.error ?? longer.error} />
        {view === undefined ? <Loading /> : <UptimeTable status={view} perRegion={perRegion} />}
      </section>

      <section class="card" aria-labelledby="nodes-title">
        <h2 id="nodes-title">Each node’s view</h2>
        <NodeViews nodes={nodes} results={latest.data?.items ?? []} />
      </section>

      <section class="card" aria-labelledby="results-title">
        <h2 id="results-title">Recent results</h2>
        <ErrorNote error={results.error} />
        {results.data !== undefined && (
          <ResultsTable
            page={results.data}
            nodeName={nodeName}
            onNewer={cursors.length > 0 ? () => setCursors([]) : undefined}
            onOlder={nextCursor !== null ? () => setCursors([...cursors, nextCursor]) : undefined}
          />
        )}
      </section>

      <section class="card" aria-labelledby="rounds-title">
        <h2 id="rounds-title">Rounds and votes</h2>
        <ErrorNote error={rounds.error} />
        {rounds.data !== undefined && <RoundsTable rounds={rounds.data.items} />}
      </section>

      <section class="card" aria-labelledby="incidents-title">
        <h2 id="incidents-title">Incidents</h2>
        <ErrorNote error={incidents.error} />
        {incidents.data !== undefined && <MonitorIncidents incidents={incidents.data.items} />}
      </section>
    </section>
  );
}
