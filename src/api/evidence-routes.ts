import type { FastifyInstance } from 'fastify';
import { notFound } from '../lib/errors.ts';
import type { OperationServices } from '../operations/services.ts';

/**
 * Serves a browser check's failure screenshot (JPEG) kept with an incident, at the URL the
 * `incidents.evidence` operation lists. Outside the operation registry because its body is an
 * image, not JSON; like every API route it needs a signed-in principal (`requireAuthentication`).
 */
export function registerEvidenceRoutes(app: FastifyInstance, services: OperationServices): void {
  app.get<{ Params: { id: string; resultId: string } }>(
    '/api/v1/incidents/:id/evidence/:resultId/screenshot',
    async (request, reply) => {
      const { id, resultId } = request.params;
      const image = await services.queries.evidenceScreenshot(id, resultId);
      if (image === undefined) throw notFound('screenshot', `${id}/${resultId}`);
      return (
        reply
          .type('image/jpeg')
          // Private: it shows whatever the monitored page showed, perhaps behind a login.
          .header('cache-control', 'private, max-age=3600')
          .header('x-content-type-options', 'nosniff')
          .send(Buffer.from(image))
      );
    },
  );
}
