import type { FastifyInstance } from 'fastify';
import { EVENTS_OPENAPI_PATH } from '../api/event-openapi.ts';
import {
  EVENTS_NOT_FORWARDED,
  EVENTS_PATH,
  isEventStreamUrl,
  registerEventRoutes,
} from '../api/event-routes.ts';
import { registerPublicRoutes, statusPageRewriter } from '../api/public-routes.ts';
import type { RecordPing } from '../api/push-routes.ts';
import { registerPushRoutes } from '../api/push-routes.ts';
import { createRequestAuthenticator } from '../api/request-auth.ts';
import { buildApiServer } from '../api/server.ts';
import { registerSessionRoutes } from '../api/session-routes.ts';
import { registerMcpRoute } from '../mcp/http-route.ts';
import type { Logger } from '../observability/logger.ts';
import type { NodeMetrics } from '../observability/metrics.ts';
import { OPERATIONS } from '../operations/registry.ts';
import type { OperationServices } from '../operations/services.ts';
import type { AuthService } from '../services/auth/auth-service.ts';
import type { CoordinatorEvents } from './coordinator-events.ts';
import type { CoordinatorStatusPages } from './coordinator-status-pages.ts';

/** An agent's forwarded API request, answered as the coordinator's API answers it. */
export type ForwardApi = (
  method: string,
  url: string,
  body: unknown,
  token: string | undefined,
) => Promise<{ status: number; body: unknown }>;

/**
 * The coordinator's HTTP surface: every operation (REST + OpenAPI), sign-in and setup, MCP over
 * Streamable HTTP and the live event stream, all behind the one authentication hook.
 */
export function buildCoordinatorApi(deps: {
  services: OperationServices & { auth: AuthService };
  metrics: Pick<NodeMetrics, 'render' | 'contentType'>;
  logger: Logger;
  events: CoordinatorEvents;
  /** The dashboard's build directory; undefined when it is not built. */
  dashboardDir: string | undefined;
  /** Status pages, feeds and badges, served here without login too. */
  statusPages: Pick<CoordinatorStatusPages, 'pages' | 'maxAgeS'>;
  /** Push monitors' pings (no login: the token is the credential). */
  recordPing: RecordPing;
}): { api: FastifyInstance; forward: ForwardApi } {
  const { services } = deps;
  // Plain HTTP today, so no Secure cookies; switch on with HTTPS serving.
  const secureCookies = false;
  const api = buildApiServer({
    services,
    metrics: deps.metrics,
    logger: deps.logger,
    authenticate: createRequestAuthenticator(services.auth, { secureCookies }),
    extraPaths: { [EVENTS_PATH]: EVENTS_OPENAPI_PATH },
    dashboard: { dir: deps.dashboardDir },
    rewriteUrl: statusPageRewriter(deps.statusPages.pages),
  });
  registerPublicRoutes(api, deps.statusPages);
  registerPushRoutes(api, deps.recordPing);
  registerSessionRoutes(api, { auth: services.auth, secureCookies });
  registerMcpRoute(api, OPERATIONS, services);
  registerEventRoutes(api, deps.events.hub);

  // Agents' CLIs reach the API through their channel; the request runs as if local, authorized
  // by the agent's operator token (its node's service user, with the role chosen at join).
  const forward: ForwardApi = async (method, url, body, token) => {
    // The peer channel carries one answer per request: a never-ending stream cannot cross it.
    if (isEventStreamUrl(url)) return EVENTS_NOT_FORWARDED;
    const response = await api.inject({
      method: method as 'GET',
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    const text = response.body;
    return {
      status: response.statusCode,
      body: text === '' ? null : (JSON.parse(text) as unknown),
    };
  };
  return { api, forward };
}
