import type { DayBar, OverviewItem, RegionView, SparkPoint } from '../../api/overview-types.ts';
import { StateBadge } from '../../components/state-badge.tsx';
import {
  formatAgo,
  formatDuration,
  formatLatency,
  formatTime,
  formatUptime,
} from '../../lib/format.ts';

/** How a day's bar reads: its colour class and its text (colour is never the only signal). */
function barOf(bar: DayBar): { tone: string; label: string } {
  if (bar.uptime === null) return { tone: 'none', label: `${bar.day}: no data` };
  const down = bar.downtimeMs > 0 ? `, ${formatDuration(bar.downtimeMs)} down` : '';
  const tone = bar.uptime >= 0.999 ? 'good' : bar.uptime >= 0.95 ? 'fair' : 'bad';
  return { tone, label: `${bar.day}: ${formatUptime(bar.uptime)} up${down}` };
}

/** 90 daily bars, oldest first, as one SVG: a title per bar, one image label for the strip. */
export function UptimeBars({ bars, uptime24h }: { bars: DayBar[]; uptime24h: number | null }) {
  const width = 3;
  const gap = 1;
  return (
    <svg
      class="uptime-bars"
      viewBox={`0 0 ${bars.length * (width + gap)} 20`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`90-day uptime bars; last 24 h ${formatUptime(uptime24h)}`}
    >
      {bars.map((bar, index) => {
        const { tone, label } = barOf(bar);
        return (
          <rect
            key={bar.day}
            class={`bar-${tone}`}
            x={index * (width + gap)}
            y={0}
            width={width}
            height={20}
          >
            <title>{label}</title>
          </rect>
        );
      })}
    </svg>
  );
}

/** Hourly median latency over 24 h as a polyline; the label gives the range in words. */
export function Sparkline({ points }: { points: SparkPoint[] }) {
  if (points.length < 2) return <span class="sparkline-empty muted">—</span>;
  const values = points.map((point) => point.latencyMs);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const step = 100 / (points.length - 1);
  const path = values
    .map(
      (value, index) =>
        `${(index * step).toFixed(1)},${(18 - ((value - low) / span) * 16).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg
      class="sparkline"
      viewBox="0 0 100 20"
      preserveAspectRatio="none"
      role="img"
      aria-label={`latency over 24 h: ${formatLatency(low)} to ${formatLatency(high)}`}
    >
      <polyline points={path} vector-effect="non-scaling-stroke" />
    </svg>
  );
}

/** One small cell per region, with its state as a letter and in the cell's title. */
export function RegionGrid({ regions }: { regions: RegionView[] }) {
  if (regions.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="region-grid" aria-label="regions">
      {regions.map((view) => (
        <li
          key={view.region}
          class={`region-cell region-${view.state}`}
          title={`${view.region}: ${view.state} (${view.up} of ${view.total} nodes see it up)`}
        >
          <span class="visually-hidden">
            {view.region}: {view.state}, {view.up} of {view.total} up
          </span>
          <span aria-hidden="true">{regionAbbreviation(view.region)}</span>
        </li>
      ))}
    </ul>
  );
}

/** One monitor's row: every figure comes from the API as given (no client-side verdicts). */
export function MonitorRow({ item, now }: { item: OverviewItem; now: number }) {
  return (
    <div class="overview-row" data-monitor={item.name} data-state={item.state}>
      <div class="cell-state">
        <StateBadge state={item.state} />
      </div>
      <div class="cell-name">
        <a class="row-link" href={`/monitors/${encodeURIComponent(item.id)}`}>
          {item.name}
        </a>
        <span class="row-meta muted">
          {item.group !== null && <span class="group">{item.group}</span>}
          {item.tags.map((tag) => (
            <span key={tag} class="tag">
              #{tag}
            </span>
          ))}
        </span>
      </div>
      <div class="cell-bars">
        <UptimeBars bars={item.bars} uptime24h={item.uptime24h} />
      </div>
      <div class="cell-latency">
        <Sparkline points={item.sparkline} />
        <span class="latency-value">{formatLatency(item.latencyMs)}</span>
      </div>
      <div class="cell-checked">
        {item.lastCheckAt === null ? (
          <span class="muted">never</span>
        ) : (
          <time
            dateTime={new Date(item.lastCheckAt).toISOString()}
            title={formatTime(item.lastCheckAt)}
          >
            {formatAgo(item.lastCheckAt, now)}
          </time>
        )}
      </div>
      <div class="cell-regions">
        <RegionGrid regions={item.regions} />
      </div>
    </div>
  );
}

/** A region's short label in a cell: its first letters and digits ("(none)" → "non"). */
function regionAbbreviation(region: string): string {
  return region.replace(/[^\p{L}\p{N}-]/gu, '').slice(0, 3) || '?';
}
