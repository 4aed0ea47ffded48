import { useState } from 'preact/hooks';
import { ConfirmDialog } from './confirm-dialog.tsx';

/**
 * A destructive action's button that asks first in a ConfirmDialog (Escape cancels, Enter
 * confirms). The dialog exists only while asking, so a table of rows holds one at most.
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  /** Names the row acted on for screen readers when several rows have the same button. */
  ariaLabel?: string;
  confirmLabel?: string;
  onConfirm: () => Promise<void> | void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  async function confirm(): Promise<void> {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }
  return (
    <>
      <button
        type="button"
        class="button danger"
        aria-label={props.ariaLabel}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
      {asking && (
        <ConfirmDialog
          open
          danger
          title={props.question}
          confirmLabel={props.confirmLabel ?? `Yes, ${props.label.toLowerCase()}`}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setAsking(false)}
        />
      )}
    </>
  );
}
