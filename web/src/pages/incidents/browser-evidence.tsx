import { api } from '../../api/client.ts';
import type { CheckEvidenceEntry } from '../../api/incident-types.ts';
import { ErrorNote } from '../../components/feedback.tsx';
import { formatTime } from '../../lib/format.ts';
import { useResource } from '../../state/use-resource.ts';

/**
 * What failed browser checks showed during the incident: each failure's screenshot (served by
 * the API to the signed-in user) and the page's console errors. Renders nothing for incidents
 * of other check types, which have no such evidence.
 */
export function BrowserEvidence({ incidentId, live }: { incidentId: string; live: number }) {
  const evidence = useResource(
    (signal) =>
      api.get<{ items: CheckEvidenceEntry[] }>(
        `/api/v1/incidents/${encodeURIComponent(incidentId)}/evidence`,
        undefined,
        signal,
      ),
    [incidentId, live],
  );
  const items = evidence.data?.items ?? [];
  if (evidence.error === undefined && items.length === 0) return null;
  return (
    <section class="card" aria-labelledby="browser-evidence-title">
      <h2 id="browser-evidence-title">What the browser saw</h2>
      <ErrorNote error={evidence.error} />
      <ul class="browser-evidence">
        {items.map((item) => (
          <li key={item.resultId}>
            <p class="muted">
              {formatTime(item.checkedAt)} from {item.nodeId}
            </p>
            {item.screenshotUrl !== null && (
              <a href={item.screenshotUrl} target="_blank" rel="noopener">
                <img
                  src={item.screenshotUrl}
                  alt={`The page when the check failed on ${item.nodeId}`}
                  loading="lazy"
                />
              </a>
            )}
            {item.consoleErrors.length > 0 && (
              <>
                <h3>Console errors</h3>
                <ul class="console-errors">
                  {item.consoleErrors.map((error, index) => (
                    <li key={index}>
                      <code>{error}</code>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
