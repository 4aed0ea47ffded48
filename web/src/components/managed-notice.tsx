import type { ManagedBy } from '../api/forms-types.ts';
import { managedWarnings } from '../state/managed-warnings.ts';
import { useStore } from '../state/store.ts';

/** Before editing: the config file that owns the object wins at its next apply. */
export function ManagedNotice({ managedBy }: { managedBy: ManagedBy | undefined }) {
  if (managedBy === undefined) return null;
  return (
    <div class="note note-warning managed-notice" role="note">
      Managed by <code>{managedBy.source}</code> (key <code>{managedBy.key}</code>); the next apply
      restores the file’s version.
    </div>
  );
}

/** After a save or delete of a managed object: what the API warned about, until dismissed. */
export function ManagedWarnings() {
  const warnings = useStore(managedWarnings);
  if (warnings.length === 0) return null;
  return (
    <div class="note note-warning managed-warnings" role="status">
      <ul>
        {warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
      <button class="button subtle" type="button" onClick={() => managedWarnings.set([])}>
        Dismiss
      </button>
    </div>
  );
}
