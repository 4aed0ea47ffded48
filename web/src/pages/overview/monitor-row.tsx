import { Component } from 'preact';
import { useMemo, useRef } from 'preact/hooks';
import { decodeDayStrip } from '../../api/day-strip.ts';
import type {
  DayBar,
  DayStrip,
  OverviewItem,
  RegionView,
  SparkPoint,
} from '../../api/overview-types.ts';
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

const BAR_WIDTH = 3;
const BAR_GAP = 1;
const TONES = ['good', 'fair', 'bad', 'none'] as const;

/**
 * 90 daily bars, oldest first, as one SVG with one path per colour (four elements, not 180:
 * a screen of rows stays a few hundred nodes). The day under the pointer is named in the
 * strip's title; the image label gives the last 24 h. The API sends the days compact
 * (`DayStrip`); they are spelled out once per strip received.
 */
export function UptimeBars({ strip, uptime24h }: { strip: DayStrip; uptime24h: number | null }) {
  const title = useRef<HTMLTitleElement>(null);
  const bars = useMemo(() => decodeDayStrip(strip), [strip]);
  const step = BAR_WIDTH + BAR_GAP;
  const shapes = new Map<string, string[]>(TONES.map((tone) => [tone, []]));
  bars.forEach((bar, index) => {
    shapes.get(barOf(bar).tone)?.push(`M${index * step} 0h${BAR_WIDTH}v20h-${BAR_WIDTH}z`);
  });
  const onPointerMove = (event: PointerEvent): void => {
    const box = (event.currentTarget as SVGSVGElement).getBoundingClientRect();
    const index = Math.floor(((event.clientX - box.left) / box.width) * bars.length);
    const bar = bars[Math.min(Math.max(index, 0), bars.length - 1)];
    if (title.current !== null && bar !== undefined) title.current.textContent = barOf(bar).label;
  };
  return (
    <svg
      class="uptime-bars"
      viewBox={`0 0 ${bars.length * step} 20`}
      preserveAspectRatio="none"
      role="img"
      data-days={bars.length}
      aria-label={`90-day uptime bars; last 24 h ${formatUptime(uptime24h)}`}
      onPointerMove={onPointerMove}
    >
      <title ref={title}>{`last 24 h ${formatUptime(uptime24h)}`}</title>
      {TONES.map((tone) => {
        const d = shapes.get(tone)?.join('') ?? '';
        return d === '' ? null : <path key={tone} class={`bar-${tone}`} d={d} />;
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

interface RowProps {
  item: OverviewItem;
  now: number;
}

/**
 * A row re-renders only when its own item (a live patch replaces just that object) or the
 * clock changed: a live event on one monitor, or a page arriving, leaves the other rows' 90
 * bars untouched.
 */
export class MonitorRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return next.item !== this.props.item || next.now !== this.props.now;
  }

  override render() {
    return <RowCells item={this.props.item} now={this.props.now} />;
  }
}

/** One monitor's row: every figure comes from the API as given (no client-side verdicts). */
function RowCells({ item, now }: RowProps) {
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
        <UptimeBars strip={item.bars} uptime24h={item.uptime24h} />
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
