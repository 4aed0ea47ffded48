import { useState } from 'preact/hooks';
import type { MonitorChoice, StatusPageGroup } from '../../api/admin-types.ts';

/** Shown at most: the search narrows a long monitor list down. */
const MAX_RESULTS = 20;

/**
 * One group of a status page: its name and monitors, with a search over every monitor to add
 * more (name or group matches). Buttons, not drag and drop, so the keyboard does it all.
 */
export function GroupEditor(props: {
  index: number;
  group: StatusPageGroup;
  monitors: readonly MonitorChoice[];
  onChange: (group: StatusPageGroup) => void;
  onRemove: () => void;
}) {
  const { group, index } = props;
  const [search, setSearch] = useState('');
  const byId = new Map(props.monitors.map((monitor) => [monitor.id, monitor]));
  const needle = search.trim().toLowerCase();
  const results =
    needle === ''
      ? []
      : props.monitors
          .filter((monitor) => !group.monitorIds.includes(monitor.id))
          .filter(
            (monitor) =>
              monitor.name.toLowerCase().includes(needle) ||
              (monitor.group ?? '').toLowerCase().includes(needle),
          )
          .slice(0, MAX_RESULTS);
  const nameId = `group-${index}-name`;
  const searchId = `group-${index}-search`;
  return (
    <fieldset class="group-editor" data-group={index}>
      <legend>Group {index + 1}</legend>
      <div class="field">
        <label for={nameId}>Group name</label>
        <input
          id={nameId}
          value={group.name}
          required
          onInput={(event) => props.onChange({ ...group, name: event.currentTarget.value })}
        />
      </div>
      {group.monitorIds.length === 0 ? (
        <p class="muted">No monitors in this group yet.</p>
      ) : (
        <ul aria-label={`Monitors in group ${index + 1}`}>
          {group.monitorIds.map((id) => {
            const name = byId.get(id)?.name ?? id;
            return (
              <li key={id}>
                <span>{name}</span>
                <button
                  type="button"
                  class="button subtle"
                  aria-label={`Remove ${name} from group ${index + 1}`}
                  onClick={() =>
                    props.onChange({
                      ...group,
                      monitorIds: group.monitorIds.filter((other) => other !== id),
                    })
                  }
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div class="field">
        <label for={searchId}>Find monitors to add</label>
        <input
          id={searchId}
          type="search"
          value={search}
          placeholder="name or group"
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
      </div>
      {results.length > 0 && (
        <ul class="monitor-results" aria-label={`Monitors matching ${search}`}>
          {results.map((monitor) => (
            <li key={monitor.id}>
              <span>
                {monitor.name}
                {monitor.group !== null && <span class="muted"> · {monitor.group}</span>}
              </span>
              <button
                type="button"
                class="button"
                aria-label={`Add ${monitor.name} to group ${index + 1}`}
                onClick={() =>
                  props.onChange({ ...group, monitorIds: [...group.monitorIds, monitor.id] })
                }
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
      {needle !== '' && results.length === 0 && <p class="muted">No other monitor matches.</p>}
      <button type="button" class="button danger" onClick={props.onRemove}>
        Remove group {index + 1}
      </button>
    </fieldset>
  );
}
