import { useEffect, useState } from 'preact/hooks';
import type { MonitorChoice, StatusPage, StatusPageGroup } from '../../api/admin-types.ts';
import { ApiError, api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { TextField } from '../../components/fields.tsx';
import { navigate } from '../../state/router.ts';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { GroupEditor } from './group-editor.tsx';
import './status-pages.css';
import { ManagedNotice } from '../../components/managed-notice.tsx';
import { showWarningsOf } from '../../state/managed-warnings.ts';

/** The editable fields, as the form holds them (domains as comma-separated text). */
interface Draft {
  slug: string;
  title: string;
  description: string;
  customDomains: string;
  groups: StatusPageGroup[];
  showRegions: boolean;
  showDetails: boolean;
}

const EMPTY: Draft = {
  slug: '',
  title: '',
  description: '',
  customDomains: '',
  groups: [{ name: 'Services', monitorIds: [] }],
  showRegions: false,
  showDetails: false,
};

function draftOf(page: StatusPage): Draft {
  return {
    slug: page.slug,
    title: page.title,
    description: page.description ?? '',
    customDomains: page.customDomains.join(', '),
    groups: page.groups,
    showRegions: page.showRegions,
    showDetails: page.showDetails,
  };
}

/** The body the API takes: the server validates slug, domains and groups and names the field. */
function bodyOf(draft: Draft): Record<string, unknown> {
  return {
    slug: draft.slug,
    title: draft.title,
    description: draft.description,
    customDomains: draft.customDomains,
    groups: draft.groups,
    showRegions: draft.showRegions,
    showDetails: draft.showDetails,
  };
}

async function loadEditor(
  id: string | undefined,
  signal: AbortSignal,
): Promise<{ monitors: MonitorChoice[]; page: StatusPage | undefined }> {
  const [monitors, page] = await Promise.all([
    api.get<Page<MonitorChoice>>('/api/v1/monitors', { limit: 10_000 }, signal),
    id === undefined
      ? Promise.resolve(undefined)
      : api.get<StatusPage>(`/api/v1/status-pages/${encodeURIComponent(id)}`, undefined, signal),
  ]);
  return { monitors: monitors.items, page };
}

function Checkbox(props: {
  id: string;
  label: string;
  hint: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div class="checkbox-field">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        aria-describedby={`${props.id}-hint`}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <div>
        <label for={props.id}>{props.label}</label>
        <p class="hint muted" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </div>
    </div>
  );
}

/** Create (`/status-pages/new`) or edit (`/status-pages/:id`) a public status page. */
export function StatusPageEditor({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const loaded = useResource((signal) => loadEditor(id, signal), [id]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const action = useAction();
  const { busy, error } = action;
  useEffect(() => {
    const page = loaded.data?.page;
    if (page !== undefined) setDraft(draftOf(page));
  }, [loaded.data]);
  const issue = (field: string): string | undefined =>
    error instanceof ApiError ? error.issueFor(field) : undefined;
  const set = (patch: Partial<Draft>): void => setDraft({ ...draft, ...patch });

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    await action.run(async () => {
      if (id === undefined) await api.post<StatusPage>('/api/v1/status-pages', bodyOf(draft));
      else
        showWarningsOf(
          await api.patch<StatusPage>(
            `/api/v1/status-pages/${encodeURIComponent(id)}`,
            bodyOf(draft),
          ),
        );
      navigate('/status-pages');
    });
  }

  const title = id === undefined ? 'New status page' : `Edit ${loaded.data?.page?.title ?? ''}`;
  return (
    <section>
      <PageHeader
        title={title}
        actions={
          <a class="button subtle" href="/status-pages">
            All status pages
          </a>
        }
      />
      <ErrorNote error={loaded.error} />
      <ManagedNotice managedBy={loaded.data?.page?.managedBy} />
      {loaded.data === undefined ? (
        loaded.loading && <Loading />
      ) : (
        <form class="card" onSubmit={(event) => void save(event)}>
          <TextField
            id="sp-title"
            label="Title"
            value={draft.title}
            onInput={(title) => set({ title })}
            error={issue('title')}
            required
          />
          <TextField
            id="sp-slug"
            label="Slug"
            value={draft.slug}
            onInput={(slug) => set({ slug })}
            error={issue('slug')}
            hint="Served at /status/<slug>: lowercase letters, digits and dashes."
            autoComplete="off"
            required
          />
          <TextField
            id="sp-description"
            label="Description"
            value={draft.description}
            onInput={(description) => set({ description })}
            error={issue('description')}
          />
          <TextField
            id="sp-domains"
            label="Custom domains"
            value={draft.customDomains}
            onInput={(customDomains) => set({ customDomains })}
            error={issue('customDomains')}
            hint="Comma-separated hostnames whose requests to / get this page."
            autoComplete="off"
          />
          <Checkbox
            id="sp-regions"
            label="Show regions"
            hint="Which regions see a monitor down or degraded."
            checked={draft.showRegions}
            onChange={(showRegions) => set({ showRegions })}
          />
          <Checkbox
            id="sp-details"
            label="Show details"
            hint="Node names, error messages and check targets: internal detail made public."
            checked={draft.showDetails}
            onChange={(showDetails) => set({ showDetails })}
          />
          <h2>Groups</h2>
          {issue('groups') !== undefined && <p class="error">{issue('groups')}</p>}
          {draft.groups.map((group, index) => (
            <GroupEditor
              key={index}
              index={index}
              group={group}
              monitors={loaded.data?.monitors ?? []}
              onChange={(next) =>
                set({ groups: draft.groups.map((other, i) => (i === index ? next : other)) })
              }
              onRemove={() => set({ groups: draft.groups.filter((_, i) => i !== index) })}
            />
          ))}
          <p>
            <button
              type="button"
              class="button"
              onClick={() => set({ groups: [...draft.groups, { name: '', monitorIds: [] }] })}
            >
              Add a group
            </button>
          </p>
          <ErrorNote error={error} />
          <button class="button primary" type="submit" disabled={busy}>
            {id === undefined ? 'Create status page' : 'Save'}
          </button>
        </form>
      )}
    </section>
  );
}
