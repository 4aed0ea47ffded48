import { api } from '../../api/client.ts';
import type { CauseGroup } from '../../api/incident-types.ts';
import { ErrorNote, Loading } from '../../components/feedback.tsx';
import { When } from '../../components/when.tsx';
import { useResource } from '../../state/use-resource.ts';

/** Members listed on the incident page; the API says how many there are in all. */
const SHOWN = 50;

const STATES: Record<CauseGroup['state'], string> = {
  collecting: 'its page is waiting for others being judged',
  paged: 'paged once for all of them',
  dissolved: 'too few failed together: each paged on its own',
  closed: 'every member has ended',
};

/**
 * The group of incidents this one belongs to: many monitors failing with one visible cause
 * (host, resolver, region, group), paged once for all of them. Each member keeps its own page.
 */
export function CauseGroupCard({ groupId, live }: { groupId: string; live: number }) {
  const group = useResource(
    (signal) =>
      api.get<CauseGroup>(
        `/api/v1/incident-groups/${encodeURIComponent(groupId)}`,
        { limit: SHOWN },
        signal,
      ),
    [groupId, live],
  );
  const data = group.data;
  return (
    <section class="card cause-group" aria-labelledby="cause-group-title">
      <h2 id="cause-group-title">Shared cause</h2>
      <ErrorNote error={group.error} />
      {data === undefined ? (
        group.loading && <Loading />
      ) : (
        <>
          <p>
            <strong>{data.title}</strong>: {STATES[data.state]}
            {data.pagedAt !== null && (
              <>
                {' '}
                (paged <When at={data.pagedAt} />)
              </>
            )}
            .
          </p>
          <ul class="cause-group-members">
            {data.members.map((m) => (
              <li key={m.incidentId}>
                <a href={`/incidents/${encodeURIComponent(m.incidentId)}`}>{m.monitorName}</a>{' '}
                <span class="muted">
                  {m.ended === null ? 'still down' : m.ended}
                  {m.endedAt !== null && (
                    <>
                      {' '}
                      <When at={m.endedAt} />
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
          {data.count > data.members.length && (
            <p class="muted">and {data.count - data.members.length} more</p>
          )}
        </>
      )}
    </section>
  );
}
