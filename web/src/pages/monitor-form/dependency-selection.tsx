import type { MonitorChoice } from '../../api/admin-types.ts';
import type { PickerChoice } from '../../components/search-picker.tsx';
import { pickerWords, SearchPicker } from '../../components/search-picker.tsx';
import type { FieldContext } from '../../components/schema-form/index.ts';
import { FieldFrame } from '../../components/schema-form/index.ts';

/** The API's `dependsOn` entry for every monitor of a group. */
const GROUP_PREFIX = 'group:';

const WORDS = {
  ...pickerWords('dependency'),
  search: 'Find monitors or groups this one depends on',
  searchPlaceholder: 'name or group',
};

/**
 * What the monitor depends on (`dependsOn`): monitors by name and whole groups, chosen from
 * the cluster's monitors. The form stores the API's entries (monitor ids, `group:<name>`); an
 * entry no choice has (a monitor beyond the loaded list) stays shown by its id.
 */
export function DependencySelection(props: {
  selfId: string | undefined;
  monitors: readonly MonitorChoice[];
  chosen: readonly string[];
  hint: string | undefined;
  context: FieldContext;
  onChange: (chosen: string[]) => void;
}) {
  const { context } = props;
  const groups = [...new Set(props.monitors.flatMap((m) => (m.group === null ? [] : [m.group])))];
  const choices: PickerChoice[] = [
    ...props.monitors
      .filter((m) => m.id !== props.selfId)
      .map((m) => ({ key: m.id, label: m.name, detail: m.group ?? undefined })),
    ...groups.sort().map((group) => ({
      key: `${GROUP_PREFIX}${group}`,
      label: `Group ${group}`,
      detail: 'every monitor of the group',
    })),
  ];
  const error =
    context.errorFor('dependsOn') ??
    props.chosen.map((_, i) => context.errorFor(`dependsOn.${i}`)).find((e) => e !== undefined);
  return (
    <FieldFrame
      id="monitor-dependencies"
      label="Depends on"
      hint={props.hint}
      error={error}
      required={false}
      group
    >
      <SearchPicker
        id="monitor-dependencies-picker"
        words={WORDS}
        chosen={props.chosen}
        choices={choices}
        onChange={props.onChange}
        onBlur={() => context.touch('dependsOn')}
      />
    </FieldFrame>
  );
}
