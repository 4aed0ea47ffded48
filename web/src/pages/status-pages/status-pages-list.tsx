import { useState } from 'preact/hooks';
import type { StatusPage } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { Empty, ErrorNote, Loading, PageHeader } from '../../components/feedback.tsx';
import { formatTime } from '../../lib/format.ts';
import { canEdit, session } from '../../state/session.ts';
import { useStore } from '../../state/store.ts';
import { useResource } from '../../state/use-resource.ts';
import './status-pages.css';
import { showWarningsOf } from '../../state/managed-warnings.ts';

/** Every public status page with a link to it; editors create, edit and delete them. */
export function StatusPagesPage() {
  const state = useStore(session);
  const editor = state.kind === 'signed-in' && canEdit(state.user);
  const pages = useResource(
    (signal) => api.get<Page<StatusPage>>('/api/v1/status-pages', undefined, signal),
    [],
  );
  const [error, setError] = useState<Error | undefined>(undefined);

  async function remove(id: string): Promise<void> {
    try {
      showWarningsOf(await api.delete(`/api/v1/status-pages/${encodeURIComponent(id)}`));
      setError(undefined);
    } catch (reason) {
      setError(reason instanceof Error ? reason : new Error(String(reason)));
    }
    pages.reload();
  }

  return (
    <section>
      <PageHeader
        title="Status pages"
        subtitle="Public pages served without sign-in at /status/<slug>"
        actions={
          editor && (
            <a class="button primary" href="/status-pages/new">
              New status page
            </a>
          )
        }
      />
      <ErrorNote error={pages.error ?? error} />
      {pages.data === undefined ? (
        pages.loading && <Loading />
      ) : pages.data.items.length === 0 ? (
        <Empty>No status pages yet.</Empty>
      ) : (
        <TableWrap label="Status pages">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Public page</th>
                <th scope="col">Monitors</th>
                <th scope="col">Custom domains</th>
                <th scope="col">Updated</th>
                {editor && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {pages.data.items.map((page) => (
                <tr key={page.id} data-status-page={page.slug}>
                  <th scope="row">
                    {editor ? (
                      <a href={`/status-pages/${encodeURIComponent(page.id)}`}>{page.title}</a>
                    ) : (
                      page.title
                    )}
                  </th>
                  <td>
                    <a href={`/status/${page.slug}`}>/status/{page.slug}</a>
                  </td>
                  <td>{page.groups.reduce((sum, group) => sum + group.monitorIds.length, 0)}</td>
                  <td>{page.customDomains.length === 0 ? '—' : page.customDomains.join(', ')}</td>
                  <td>{formatTime(page.updatedAt)}</td>
                  {editor && (
                    <td>
                      <ConfirmButton
                        label="Delete"
                        ariaLabel={`Delete ${page.title}`}
                        question={`Delete ${page.title}? Its URL, feeds and badges stop working.`}
                        onConfirm={() => remove(page.id)}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
