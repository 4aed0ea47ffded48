import { useState } from 'preact/hooks';
import './secret-once.css';

/**
 * A secret the API shows exactly once (API token, join token): read-only text the user can
 * select, a copy button, and a plain warning that it will not be shown again.
 */
export function SecretOnce(props: { id: string; label: string; value: string; note?: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied('yes');
    } catch {
      // No clipboard permission (or an insecure origin): the text stays selectable.
      setCopied('failed');
    }
  }
  return (
    <div class="secret-once note" role="status">
      <label for={props.id}>{props.label}</label>
      <div class="secret-once-row">
        <input
          id={props.id}
          class="secret-once-value"
          readOnly
          value={props.value}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="button" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'failed' && <p class="hint">Copy failed: select the text and copy it.</p>}
      <p class="hint">{props.note ?? 'Store it now: it is shown only this once.'}</p>
    </div>
  );
}
