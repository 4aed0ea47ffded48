import type { Draft, FieldContext, JsonSchema } from '../../components/schema-form/index.ts';
import {
  CheckboxChoices,
  draftAccess,
  FieldFrame,
  ListInput,
  MapInput,
} from '../../components/schema-form/index.ts';

/**
 * Which nodes run the monitor (`nodes` of the monitor fields): a checkbox per region the cluster's
 * nodes report, a list for a region no node reports yet, and node labels to match. Edits the
 * same draft the generated fields would (`regions` a list, `labels` rows), so payload and checks
 * stay the schema's.
 */
export function NodeSelection(props: {
  schema: JsonSchema;
  knownRegions: readonly string[];
  draft: Draft;
  context: FieldContext;
  onChange: (draft: Draft) => void;
}) {
  const { context } = props;
  const regions = draftAccess.asList(props.draft['regions']);
  const labels = draftAccess.asRows(props.draft['labels']);
  const other = regions.filter((region) => !props.knownRegions.includes(region));
  const id = (key: string) => `${context.idPrefix}-nodes-${key}`;
  const regionsHint = props.schema.properties?.['regions']?.description;
  const labelsHint = props.schema.properties?.['labels']?.description;
  const setRegions = (next: string[]) => props.onChange({ ...props.draft, regions: next });
  return (
    <>
      <FieldFrame
        id={id('regions')}
        label="Regions"
        hint={regionsHint ?? 'none chosen: every region'}
        error={context.errorFor('nodes.regions')}
        required={false}
        group
      >
        {props.knownRegions.length > 0 && (
          <CheckboxChoices
            options={props.knownRegions}
            chosen={regions}
            name="regions"
            onChange={setRegions}
          />
        )}
        <label for={id('regions-other')} class="sub-label">
          {props.knownRegions.length > 0 ? 'Other region (no node reports it yet)' : 'Region'}
        </label>
        <ListInput
          id={id('regions-other')}
          label="Other regions"
          items={other}
          describedBy={undefined}
          invalid={false}
          onChange={(next) =>
            setRegions([
              ...regions.filter((region) => props.knownRegions.includes(region)),
              ...next,
            ])
          }
          onBlur={() => context.touch('nodes.regions')}
        />
      </FieldFrame>
      <FieldFrame
        id={id('labels')}
        label="Node labels"
        hint={labelsHint}
        error={context.errorFor('nodes.labels')}
        required={false}
        group
      >
        <MapInput
          id={id('labels')}
          label="Node labels"
          rows={labels}
          secret={false}
          onChange={(next) => props.onChange({ ...props.draft, labels: next })}
          onBlur={() => context.touch('nodes.labels')}
        />
      </FieldFrame>
    </>
  );
}
