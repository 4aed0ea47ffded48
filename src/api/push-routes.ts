import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PushPing } from '../checks/push/state.ts';
import { MAX_PUSH_MESSAGE } from '../checks/push/state.ts';

/** Where jobs ping: `/api/v1/push/<token>`, plus `/start` and `/fail`. */
export const PUSH_PATH_PREFIX = '/api/v1/push/';
/** Uptime Kuma's push path (`?status=up&msg=OK&ping=`; `ping` is ignored). */
const KUMA_PUSH_PREFIX = '/api/push/';
/** A ping's body beyond this is refused (413): it is only ever kept as a short message. */
const MAX_BODY_BYTES = 16_384;

/** What the routes need: record a ping, null when the token is unknown. */
export type RecordPing = (token: string, ping: PushPing) => Promise<unknown>;

type Kind = 'success' | 'start' | 'fail';

/**
 * The ping endpoint, served without login: the token in the path is the credential. GET and
 * POST alike (a body is kept as the message when `msg` is absent). An unknown token is a bare
 * 404 that says nothing of which tokens exist; odd input is a 400, never a 5xx.
 */
export function registerPushRoutes(app: FastifyInstance, record: RecordPing): void {
  void app.register((scope, _options, done) => {
    // Any body is text here, whatever its type says (curl -d sends form encoding).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
      (_request, body, next) => next(null, body),
    );
    const routes: [string, Kind][] = [
      [':token', 'success'],
      [':token/start', 'start'],
      [':token/fail', 'fail'],
    ];
    // Uptime Kuma's path too, so jobs moved over with their Kuma token keep their URL's path.
    for (const prefix of [PUSH_PATH_PREFIX, KUMA_PUSH_PREFIX])
      for (const [path, kind] of routes) {
        scope.route({
          method: ['GET', 'POST'],
          url: `${prefix}${path}`,
          config: { public: true },
          handler: (request, reply) => handle(request, reply, kind, record),
        });
      }
    done();
  });
}

async function handle(
  request: FastifyRequest,
  reply: FastifyReply,
  kind: Kind,
  record: RecordPing,
): Promise<FastifyReply> {
  const { token } = request.params as { token: string };
  const query = request.query as Record<string, unknown>;
  const status = single(query['status']);
  if (status !== undefined && status !== 'up' && status !== 'down')
    return reply.status(400).type('text/plain').send('status must be up or down\n');
  const effective: Kind = kind === 'success' && status === 'down' ? 'fail' : kind;
  const body = typeof request.body === 'string' ? request.body : '';
  const text = single(query['msg']) ?? (body.trim() === '' ? undefined : body);
  const message = text === undefined ? null : text.slice(0, MAX_PUSH_MESSAGE);
  const found = await record(token, { kind: effective, message });
  if (found === null) return reply.status(404).type('text/plain').send('not found\n');
  return reply.status(200).type('text/plain').send('OK\n');
}

function single(value: unknown): string | undefined {
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof first === 'string' ? first : undefined;
}
