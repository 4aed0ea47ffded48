import type { CauseGroupView, StoredCauseGroup } from '../domain/cause-group.ts';
import { causeGroupTitle } from '../domain/cause-group.ts';
import type { Monitor } from '../domain/monitor.ts';

/** A stored group as people read it: its headline, its count and its first `limit` members. */
export function causeGroupView(
  stored: StoredCauseGroup,
  monitors: readonly Monitor[],
  limit: number,
): CauseGroupView {
  const names = new Map(monitors.map((m) => [m.id, m.name]));
  return {
    ...stored.group,
    title: causeGroupTitle({ ...stored.group, members: stored.members }),
    count: stored.members.length,
    members: stored.members.slice(0, limit).map((m) => ({
      incidentId: m.incidentId,
      monitorId: m.monitorId,
      // A deleted monitor's incidents go with it; a rename shows the name it has now.
      monitorName: names.get(m.monitorId) ?? m.monitorId,
      openedAt: m.openedAt,
      endedAt: m.endedAt,
      ended: m.ended,
    })),
  };
}
