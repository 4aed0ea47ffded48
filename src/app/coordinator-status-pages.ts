import type { FastifyInstance } from 'fastify';
import { buildPublicServer } from '../api/public-server.ts';
import { formatHostPort } from '../cluster/pki/tls-options.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../observability/logger.ts';
import type { IncidentUpdate } from '../domain/status-page.ts';
import type { IncidentUpdateService } from '../services/status-pages/incident-update-service.ts';
import { createIncidentUpdateService } from '../services/status-pages/incident-update-service.ts';
import { createPageLoader } from '../services/status-pages/page-loader.ts';
import type { PublicPages } from '../services/status-pages/public-pages.ts';
import { DEFAULT_PAGE_TTL_MS, createPublicPages } from '../services/status-pages/public-pages.ts';
import type { StatusPageService } from '../services/status-pages/status-page-service.ts';
import { createStatusPageService } from '../services/status-pages/status-page-service.ts';
import type { StateSource } from '../services/status-service.ts';
import type { Store } from '../store/types.ts';
import { listenOrExplain } from './node-context.ts';

/** The coordinator's status pages: their verbs, the cached public side, the public listener. */
export interface CoordinatorStatusPages {
  statusPages: StatusPageService;
  incidentUpdates: IncidentUpdateService;
  pages: PublicPages;
  /** Max-age of public responses, seconds. */
  maxAgeS: number;
  /** Starts the `--public-listen` server when configured; returns its URL (null when none). */
  listenPublic(): Promise<string | null>;
  close(): Promise<void>;
}

export async function createCoordinatorStatusPages(deps: {
  store: Store;
  clock: Clock;
  states: StateSource;
  logger: Logger;
  publicListen: { host: string; port: number } | null;
  /** An incident update or note was added (for the live event stream). */
  onUpdateAdded?: (update: IncidentUpdate, monitorId: string) => void;
}): Promise<CoordinatorStatusPages> {
  const { store, clock } = deps;
  const pages = createPublicPages({
    store,
    clock,
    ttlMs: DEFAULT_PAGE_TTL_MS,
    load: createPageLoader({ store, states: deps.states, clock }),
    // The store reads of a rebuild share the event loop with the checks' timers: keep its cost
    // in sight (at most once per page per TTL).
    onRebuilt: (slug, tookMs) =>
      deps.logger.debug({ slug, tookMs: Math.round(tookMs) }, 'status page model rebuilt'),
  });
  await pages.ready();
  const maxAgeS = Math.round(DEFAULT_PAGE_TTL_MS / 1000);
  let server: FastifyInstance | undefined;
  return {
    statusPages: createStatusPageService({
      store,
      clock,
      newId: () => newId('sp'),
      onChange: () => pages.pagesChanged(),
    }),
    incidentUpdates: createIncidentUpdateService({
      store,
      clock,
      newId: () => newId('upd'),
      onPublicUpdate: (_update, monitorId) => pages.monitorChanged(monitorId),
      ...(deps.onUpdateAdded !== undefined ? { onAdded: deps.onUpdateAdded } : {}),
    }),
    pages,
    maxAgeS,
    async listenPublic() {
      const address = deps.publicListen;
      if (address === null) return null;
      server = buildPublicServer({ logger: deps.logger, pages, maxAgeS });
      await listenOrExplain(server, address, '--public-listen');
      const bound = server.server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
      return `http://${formatHostPort(address.host, port)}`;
    },
    async close() {
      await server?.close();
    },
  };
}
