/** The kinds of objects a config file manages (more join as the file format grows). */
export type ManagedKind = 'monitor';

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
