import type { MonitorChoice, StatusPageGroup } from '../../api/admin-types.ts';
import { SearchPicker } from '../../components/search-picker.tsx';
import type { PickerWords } from '../../components/search-picker.tsx';

function groupWords(index: number): PickerWords {
  const group = `group ${index + 1}`;
  return {
    chosen: `Monitors in ${group}`,
    none: 'No monitors in this group yet.',
    search: 'Find monitors to add',
    searchPlaceholder: 'name or group',
    noMatch: 'No other monitor matches.',
    add: (name) => `Add ${name} to ${group}`,
    remove: (name) => `Remove ${name} from ${group}`,
  };
}

/**
 * One group of a status page: its name and monitors, with a search over every monitor to add
 * more (name or group matches).
 */
export function GroupEditor(props: {
  index: number;
  group: StatusPageGroup;
  monitors: readonly MonitorChoice[];
  onChange: (group: StatusPageGroup) => void;
  onRemove: () => void;
}) {
  const { group, index } = props;
  const nameId = `group-${index}-name`;
  const choices = props.monitors.map((monitor) => ({
    key: monitor.id,
    label: monitor.name,
    detail: monitor.group ?? undefined,
  }));
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
      <SearchPicker
        id={`group-${index}`}
        words={groupWords(index)}
        chosen={group.monitorIds}
        choices={choices}
        onChange={(monitorIds) => props.onChange({ ...group, monitorIds })}
      />
      <button type="button" class="button danger" onClick={props.onRemove}>
        Remove group {index + 1}
      </button>
    </fieldset>
  );
}
