/**
 * The overview's view (filters, search, sort) as it lives in the URL, so a view can be shared
 * and survives a reload, and as the query of GET /api/v1/overview.
 */
import type { Query } from '../../api/client.ts';
import type { MonitorState } from '../../api/types.ts';

export const STATES: readonly MonitorState[] = [
  'down',
  'regional',
  'flapping',
  'degraded',
  'unknown',
  'pending',
  'up',
  'paused',
];

export const SORTS = [
  { value: 'name', label: 'Name' },
  { value: 'state', label: 'State (worst first)' },
  { value: 'lastCheck', label: 'Last check' },
  { value: 'latency', label: 'Latency' },
  { value: 'uptime', label: 'Uptime' },
] as const;
export type Sort = (typeof SORTS)[number]['value'];

export interface OverviewView {
  q: string;
  group: string;
  tag: string;
  states: MonitorState[];
  region: string;
  sort: Sort;
  dir: 'asc' | 'desc';
}

function isState(value: string): value is MonitorState {
  return (STATES as readonly string[]).includes(value);
}

function isSort(value: string): value is Sort {
  return SORTS.some((sort) => sort.value === value);
}

export function viewFromParams(params: URLSearchParams): OverviewView {
  const sort = params.get('sort') ?? 'name';
  return {
    q: params.get('q') ?? '',
    group: params.get('group') ?? '',
    tag: params.get('tag') ?? '',
    states: (params.get('state') ?? '').split(',').filter(isState),
    region: params.get('region') ?? '',
    sort: isSort(sort) ? sort : 'name',
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
  };
}

/** The URL's parameters for a view; defaults are left out so plain URLs stay plain. */
export function paramsOfView(view: OverviewView): Record<string, string> {
  return {
    q: view.q.trim(),
    group: view.group,
    tag: view.tag,
    state: view.states.join(','),
    region: view.region,
    sort: view.sort === 'name' ? '' : view.sort,
    dir: view.dir === 'asc' ? '' : view.dir,
  };
}

/** The API query for one page of the view. */
export function queryOfView(view: OverviewView, offset: number, limit: number): Query {
  return {
    q: view.q.trim() === '' ? undefined : view.q.trim(),
    group: view.group === '' ? undefined : view.group,
    tag: view.tag === '' ? undefined : view.tag,
    state: view.states,
    region: view.region === '' ? undefined : view.region,
    sort: view.sort,
    dir: view.dir,
    offset,
    limit,
  };
}

/** A stable key: a new key means a new list (drop cached pages, back to the top). */
export function viewKey(view: OverviewView): string {
  return JSON.stringify(paramsOfView(view));
}

export function toggleState(states: readonly MonitorState[], state: MonitorState): MonitorState[] {
  return states.includes(state) ? states.filter((s) => s !== state) : [...states, state];
}
