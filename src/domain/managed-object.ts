/**
 * The kinds of objects a config file manages, in the order an apply writes them: what others
 * reference comes first (targets before the rules and monitors that route to them, monitors before the
 * maintenance windows and status pages that name them). Deletes run
 * in the reverse order.
 */
export const MANAGED_KINDS = [
  'alert-target',
  'alert-rule',
  'monitor',
  'maintenance',
  'status-page',
] as const;

export type ManagedKind = (typeof MANAGED_KINDS)[number];

/**
 * An object applied from a config file: which file (`source`, the file's identity) and under
 * which key. Objects without a record are unmanaged: only the API, CLI and dashboard edit them.
 */
export interface ManagedRecord {
  kind: ManagedKind;
  objectId: string;
  source: string;
  key: string;
}
