import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.ts';

/** An error the user can act on: the API's message, and its field issues when there are any. */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (error === undefined) return null;
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div class="note note-error" role="alert">
      <strong>{error.message}</strong>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={issue.path}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty muted">{children}</p>;
}

/** The page's heading and its actions, the same on every page. */
export function PageHeader(props: {
  title: string;
  subtitle?: string;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle !== undefined && <p class="muted">{props.subtitle}</p>}
      </div>
      {props.actions !== undefined && <div class="actions">{props.actions}</div>}
    </header>
  );
}
