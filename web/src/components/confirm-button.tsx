import './secret-once.css';
import { useState } from 'preact/hooks';

/**
 * A destructive action that asks first, in place: the button turns into a question with
 * Confirm and Cancel (Escape cancels), so there is no modal and no mouse-only step.
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        class="button danger"
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
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
    <span
      class="confirm-inline"
      role="group"
      aria-label={props.question}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setAsking(false);
      }}
    >
      <span>{props.question}</span>{' '}
      <button
        type="button"
        class="button danger"
        disabled={busy}
        autoFocus
        onClick={() => void confirm()}
      >
        {props.confirmLabel ?? `Yes, ${props.label.toLowerCase()}`}
      </button>{' '}
      <button type="button" class="button subtle" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
