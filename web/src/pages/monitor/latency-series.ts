import type { CheckResult, NodeUptime } from '../../api/monitor-types.ts';

/** One line of the latency chart: a node, or a region's nodes together. */
export interface LatencySeries {
  label: string;
  /** [epoch seconds, latency ms] pairs, oldest first. */
  points: [number, number][];
}

export interface SeriesSummary {
  label: string;
  count: number;
  min: number;
  avg: number;
  p95: number;
}

export type SeriesGrouping = 'node' | 'region';

/**
 * Groups results into chart lines by node or by region. Only results that ran count: a node's
 * own error (status error) measured nothing about the target.
 */
export function latencySeries(
  results: readonly CheckResult[],
  nodes: readonly NodeUptime[],
  grouping: SeriesGrouping,
): LatencySeries[] {
  const nodeById = new Map(nodes.map((node) => [node.nodeId, node]));
  const groups = new Map<string, [number, number][]>();
  for (const result of results) {
    if (result.status === 'error') continue;
    const node = nodeById.get(result.nodeId);
    const label =
      grouping === 'node' ? (node?.name ?? result.nodeId) : (node?.region ?? '(no region)');
    const points = groups.get(label) ?? [];
    points.push([result.checkedAt / 1000, result.latencyMs]);
    groups.set(label, points);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, points]) => ({ label, points: points.sort((a, b) => a[0] - b[0]) }));
}

/**
 * uPlot's data layout: one shared x axis (every timestamp of every series) and one y array per
 * series with null where that series has no point.
 */
export function alignedData(series: readonly LatencySeries[]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const column: (number | null)[] = xs.map(() => null);
    for (const [x, y] of s.points) {
      const at = index.get(x);
      if (at !== undefined) column[at] = y;
    }
    return column;
  });
  return [xs, ...ys];
}

/** Min, average and 95th percentile of each line: the chart's text alternative. */
export function summarize(series: readonly LatencySeries[]): SeriesSummary[] {
  return series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const values = s.points.map(([, y]) => y).sort((a, b) => a - b);
      const sum = values.reduce((total, value) => total + value, 0);
      const rank = Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1);
      return {
        label: s.label,
        count: values.length,
        min: values[0] ?? 0,
        avg: sum / values.length,
        p95: values[rank] ?? 0,
      };
    });
}
