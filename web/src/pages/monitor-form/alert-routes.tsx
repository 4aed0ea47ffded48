import type { TargetView } from '../../api/forms-types.ts';
import type { Draft, FieldContext, JsonSchema } from '../../components/schema-form/index.ts';
import {
  CheckboxChoices,
  draftOf,
  objectVariants,
  payloadOf,
  pickProperties,
  problemsOf,
  SchemaFields,
} from '../../components/schema-form/index.ts';

/** The two route lists a monitor has: every verdict, and regional verdicts only. */
export type RouteField = 'alerts' | 'regionalAlerts';

/** A route to a named target as the form edits it: the target, and its other keys as a draft. */
export interface RouteDraft {
  target: string;
  extras: Draft;
}

const NO_SECRETS: ReadonlySet<string> = new Set();

/**
 * The keys of a route to a named target besides `target` (events, repeat, escalation), from the
 * monitor fields' JSON Schema: the variant of a route that has a `target`.
 */
export function routeExtrasSchema(monitorFields: JsonSchema, field: RouteField): JsonSchema {
  const items = monitorFields.properties?.[field]?.items;
  const route = (items === undefined ? [] : objectVariants(items)).find(
    (variant) => variant.properties?.['target'] !== undefined,
  );
  return pickProperties(route ?? {}, (key) => key !== 'target');
}

function isTargetRoute(route: object): route is { target: string } {
  return 'target' in route && typeof route.target === 'string';
}

/** The routes to named targets of a monitor, as drafts (inline channel routes are not edited). */
export function routeDrafts(routes: readonly object[], extras: JsonSchema): RouteDraft[] {
  return routes.filter(isTargetRoute).map((route) => ({
    target: route.target,
    extras: draftOf(extras, { ...route }, NO_SECRETS, false),
  }));
}

/** The routes as the API takes them; keys left empty take the server's defaults. */
export function routesPayload(routes: readonly RouteDraft[], extras: JsonSchema): object[] {
  return routes.map((route) => ({
    target: route.target,
    ...payloadOf(extras, route.extras, 'create'),
  }));
}

/** Problems the schema sees in the routes' keys, at the paths the server uses (`alerts.0.events`). */
export function routesProblems(
  field: RouteField,
  routes: readonly RouteDraft[],
  extras: JsonSchema,
): Record<string, string> {
  return Object.assign(
    {},
    ...routes.map((route, index) => problemsOf(extras, route.extras, `${field}.${index}`)),
  ) as Record<string, string>;
}

/**
 * One route list: a checkbox per alert target, and for each chosen one its own settings
 * (events, repeat, escalation) generated from the route schema. Routes keep the order they were
 * chosen in, which is the order the server reports issues by.
 */
export function AlertRoutes(props: {
  field: RouteField;
  legend: string;
  /** The legend of one chosen target's settings, e.g. "How ops-hook is paged". */
  settingsLegend: (target: string) => string;
  hint: string | undefined;
  targets: TargetView[];
  extras: JsonSchema;
  routes: RouteDraft[];
  context: FieldContext;
  onChange: (routes: RouteDraft[]) => void;
}) {
  const { field, routes } = props;
  const hintId = `${props.context.idPrefix}-${field}-hint`;
  const typeOf = new Map(props.targets.map((target) => [target.name, target.type]));
  // Ticked targets keep their settings; a newly ticked one starts from the schema's defaults.
  const chosenRoutes = (chosen: string[]): RouteDraft[] =>
    chosen.map(
      (target) =>
        routes.find((route) => route.target === target) ?? {
          target,
          extras: draftOf(props.extras, undefined, NO_SECRETS, false),
        },
    );
  // A route to a target that no longer exists stays listed, so it can be removed.
  const missing = routes
    .filter((route) => !props.targets.some((target) => target.name === route.target))
    .map((route) => ({ name: route.target }));
  const update = (index: number, extras: Draft): void =>
    props.onChange(routes.map((route, i) => (i === index ? { ...route, extras } : route)));
  return (
    <fieldset
      class="field-group route-list"
      id={`${props.context.idPrefix}-${field}`}
      aria-describedby={props.hint === undefined ? undefined : hintId}
    >
      <legend>{props.legend}</legend>
      {props.hint !== undefined && (
        <p class="hint muted" id={hintId}>
          {props.hint}
        </p>
      )}
      <CheckboxChoices
        options={[...props.targets, ...missing].map((target) => target.name)}
        chosen={routes.map((route) => route.target)}
        name={field}
        labelOf={(name) => (
          <>
            {name} <span class="muted">({typeOf.get(name) ?? 'missing'})</span>
          </>
        )}
        onChange={(chosen) => props.onChange(chosenRoutes(chosen))}
      />
      {routes.map((route, index) => (
        <fieldset key={route.target} class="field-group route-extras">
          <legend>{props.settingsLegend(route.target)}</legend>
          <SchemaFields
            schema={props.extras}
            draft={route.extras}
            path={`${field}.${index}`}
            context={props.context}
            onChange={(extras) => update(index, extras)}
          />
        </fieldset>
      ))}
    </fieldset>
  );
}
