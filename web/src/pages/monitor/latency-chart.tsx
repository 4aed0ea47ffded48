import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { DataTable } from '../../components/table-wrap.tsx';
import type uPlot from 'uplot';
import { formatLatency } from '../../lib/format.ts';
import { theme } from '../../state/theme.ts';
import { useStore } from '../../state/store.ts';
import type { LatencySeries } from './latency-series.ts';
import { alignedData, summarize } from './latency-series.ts';

/**
 * Line colours with enough contrast on both the light and the dark surface (mid-luminance hues),
 * told apart in the legend by name as well as colour.
 */
const PALETTE = ['#2f7dd1', '#d9480f', '#2b8a3e', '#ae3ec9', '#c28a00', '#0c8599', '#e64980'];

/**
 * uPlot is loaded only by this page, so the overview bundle stays small. The page calls this as
 * it opens, so the chunk arrives alongside the data instead of after it.
 */
let uplotModule: Promise<typeof uPlot> | undefined;
export function loadUPlot(): Promise<typeof uPlot> {
  const loading =
    uplotModule ??
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(
      ([module]) => module.default,
    );
  uplotModule = loading;
  return loading;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function chartOptions(series: readonly LatencySeries[], width: number, onZoom: () => void) {
  const text = cssVar('--muted');
  const grid = cssVar('--border');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const options: uPlot.Options = {
    width,
    height: 260,
    cursor: { drag: { x: true, y: false, setScale: true } },
    scales: { x: { time: true } },
    axes: [axis, { ...axis, label: 'ms', values: (_u, ticks) => ticks.map((t) => `${t}`) }],
    series: [
      {},
      ...series.map((s, index) => ({
        label: s.label,
        stroke: PALETTE[index % PALETTE.length] ?? '#2f7dd1',
        width: 1.5,
        spanGaps: true,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v === null ? '—' : formatLatency(v)),
      })),
    ],
    hooks: { setSelect: [() => onZoom()] },
  };
  return options;
}

/** Latency over time, one line per series, zoom by dragging; a table says the same in words. */
export function LatencyChart({ series }: { series: readonly LatencySeries[] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const [zoomed, setZoomed] = useState(false);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const currentTheme = useStore(theme);
  const summaries = summarize(series);

  // The lines' names: a new set of lines (or a theme change) builds a new chart; new points for
  // the same lines only replace its data, keeping the zoom.
  const labels = series.map((s) => s.label).join('\n');
  const latest = useRef(series);
  latest.current = series;
  const zoomedRef = useRef(zoomed);
  zoomedRef.current = zoomed;

  // Built before the browser paints (the host's width is known by then), not a frame later.
  useLayoutEffect(() => {
    const element = host.current;
    if (element === null || labels === '') return undefined;
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    loadUPlot().then(
      (UPlot) => {
        if (cancelled) return;
        const width = Math.max(240, element.clientWidth);
        const shown = latest.current;
        chart.current = new UPlot(
          chartOptions(shown, width, () => setZoomed(true)),
          alignedData(shown) as uPlot.AlignedData,
          element,
        );
        setZoomed(false);
        observer = new ResizeObserver(() =>
          chart.current?.setSize({ width: Math.max(240, element.clientWidth), height: 260 }),
        );
        observer.observe(element);
      },
      (error: unknown) => setFailed(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.destroy();
      chart.current = undefined;
    };
  }, [labels, currentTheme]);

  useEffect(() => {
    chart.current?.setData(alignedData(series) as uPlot.AlignedData, !zoomedRef.current);
  }, [series]);

  const resetZoom = (): void => {
    const plot = chart.current;
    const xs = plot?.data[0];
    if (plot === undefined || xs === undefined || xs.length === 0) return;
    plot.setScale('x', { min: xs[0] ?? 0, max: xs[xs.length - 1] ?? 0 });
    setZoomed(false);
  };

  if (series.length === 0) return <p class="muted">No latency measured in this range.</p>;
  return (
    <div class="latency-chart">
      {failed !== undefined && <p class="note note-error">The chart could not load: {failed}</p>}
      <div class="chart-host" ref={host} aria-hidden="true" data-series={series.length} />
      <div class="chart-tools">
        <span class="muted">Drag across the chart to zoom.</span>
        <button type="button" class="button subtle" disabled={!zoomed} onClick={resetZoom}>
          Reset zoom
        </button>
      </div>
      <DataTable label="Latency figures" columns={['Series', 'Checks', 'Min', 'Average', 'p95']}>
        {summaries.map((s) => (
          <tr key={s.label}>
            <th scope="row">{s.label}</th>
            <td>{s.count}</td>
            <td>{formatLatency(s.min)}</td>
            <td>{formatLatency(s.avg)}</td>
            <td>{formatLatency(s.p95)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
