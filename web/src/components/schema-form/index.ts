/** A form generator for the JSON Schemas the API publishes (check options, channel settings). */
export { draftAccess, draftOf, payloadOf, problemsOf, KeptSecret } from './draft.ts';
export type { Draft, DraftValue, KeyValue, PayloadMode } from './draft.ts';
export { FieldFrame, describedBy } from './field-frame.tsx';
export type { JsonSchema } from './json-schema.ts';
export { objectVariants, pickProperties, variantLabel } from './json-schema.ts';
export { SchemaFields } from './schema-fields.tsx';
export { CheckboxChoices, ListInput, MapInput } from './collection-inputs.tsx';
export type { FieldContext } from './schema-fields.tsx';
export { useFieldErrors } from './use-field-errors.ts';
export { focusFirstInvalid } from './focus.ts';
import './schema-form.css';
