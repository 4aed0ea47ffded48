import { useEffect, useRef, useState } from 'preact/hooks';
import type { StateCounts } from '../../api/overview-types.ts';
import { SORTS, STATES, toggleState } from './overview-query.ts';
import type { OverviewView, Sort } from './overview-query.ts';

// Short: a search answers in ~10 ms of server time and a superseded request is aborted, so
// waiting longer only adds to what the user feels; this still folds a burst of keystrokes.
const SEARCH_DELAY_MS = 50;

interface ToolbarProps {
  view: OverviewView;
  counts: StateCounts | undefined;
  groups: string[];
  tags: string[];
  regions: string[];
  onChange: (view: OverviewView) => void;
}

function Choice(props: {
  id: string;
  label: string;
  all: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}) {
  return (
    <div class="field inline-field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        <option value="">{props.all}</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Search (debounced, `/` focuses it), filters, state chips with counts, sort and direction. */
export function OverviewToolbar({ view, counts, groups, tags, regions, onChange }: ToolbarProps) {
  const [text, setText] = useState(view.q);
  const search = useRef<HTMLInputElement>(null);
  const latest = useRef(view);
  latest.current = view;

  // Searches this box sent that the URL has not echoed back yet. An echo can arrive after the
  // user typed on (a slow render or a busy machine): it must not overwrite the newer text.
  const sent = useRef<string[]>([]);

  // The URL is the truth for anything else: a reload, back/forward or a shared link sets the box.
  useEffect(() => {
    const echoed = sent.current.indexOf(view.q);
    if (echoed >= 0) sent.current.splice(0, echoed + 1);
    else {
      sent.current = [];
      setText(view.q);
    }
  }, [view.q]);
  // Runs on the echo too, so text typed (or erased) while a search was in flight is still sent.
  useEffect(() => {
    if (text === view.q) return undefined;
    const timer = setTimeout(() => {
      sent.current.push(text);
      onChange({ ...latest.current, q: text });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, view.q]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && target.closest('input, textarea, select') !== null)
        return;
      event.preventDefault();
      search.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="overview-toolbar">
      <div class="toolbar">
        <div class="field inline-field search-field">
          <label for="overview-search">Search</label>
          <input
            id="overview-search"
            ref={search}
            type="search"
            placeholder="name, target, group or tag  ( / )"
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <Choice
          id="overview-group"
          label="Group"
          all="All groups"
          value={view.group}
          options={groups}
          onChange={(group) => onChange({ ...view, group })}
        />
        <Choice
          id="overview-tag"
          label="Tag"
          all="All tags"
          value={view.tag}
          options={tags}
          onChange={(tag) => onChange({ ...view, tag })}
        />
        {regions.length > 0 && (
          <Choice
            id="overview-region"
            label="Region"
            all="All regions"
            value={view.region}
            options={regions}
            onChange={(region) => onChange({ ...view, region })}
          />
        )}
        <div class="field inline-field">
          <label for="overview-sort">Sort</label>
          <select
            id="overview-sort"
            value={view.sort}
            onChange={(event) => onChange({ ...view, sort: event.currentTarget.value as Sort })}
          >
            {SORTS.map((sort) => (
              <option key={sort.value} value={sort.value}>
                {sort.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          class="button subtle"
          onClick={() => onChange({ ...view, dir: view.dir === 'asc' ? 'desc' : 'asc' })}
        >
          {view.dir === 'asc' ? '↑ Ascending' : '↓ Descending'}
        </button>
      </div>
      <div class="state-chips" role="group" aria-label="Filter by state">
        {STATES.map((state) => {
          const count = counts?.[state] ?? 0;
          const on = view.states.includes(state);
          if (count === 0 && !on) return null;
          return (
            <button
              key={state}
              type="button"
              class={`chip state-${state}`}
              aria-pressed={on}
              onClick={() => onChange({ ...view, states: toggleState(view.states, state) })}
            >
              {state} <span class="chip-count">{count}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
