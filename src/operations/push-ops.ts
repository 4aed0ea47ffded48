import { z } from 'zod';
import { newPushToken, pushPath } from '../checks/push/token.ts';
import type { Monitor } from '../domain/monitor.ts';
import { validationError } from '../lib/errors.ts';
import { defineOperation, need } from './kit.ts';

const pushUrlSchema = z.object({
  monitorId: z.string(),
  name: z.string(),
  path: z.string().describe('the ping path, with the secret token; join it to the API address'),
});

function pushUrlOf(monitor: Monitor): z.output<typeof pushUrlSchema> {
  const token = monitor.options['token'];
  if (monitor.type !== 'push' || typeof token !== 'string')
    throw validationError([
      { path: 'id', message: `monitor ${monitor.name} is a ${monitor.type} monitor, not push` },
    ]);
  return { monitorId: monitor.id, name: monitor.name, path: pushPath(token) };
}

const byId = z.object({ id: z.string().min(1).describe('monitor id') }).strict();

export const monitorPushUrl = defineOperation({
  name: 'monitors.push-url',
  summary: 'The secret ping URL path of a push monitor (its token unmasked)',
  input: byId,
  output: pushUrlSchema,
  access: 'read',
  destructive: false,
  // The token is a credential: only those who may change the monitor see it.
  role: 'editor',
  http: { method: 'GET', path: '/api/v1/monitors/{id}/push-url' },
  cli: ['monitor', 'push-url'],
  mcp: false,
  offline: true,
  async run({ services }, { id }) {
    return pushUrlOf(await services.monitors.get(id));
  },
});

export const rotatePushToken = defineOperation({
  name: 'monitors.push-token.rotate',
  summary: 'Give a push monitor a new secret token (the old ping URL stops working at once)',
  input: byId,
  output: pushUrlSchema,
  access: 'write',
  destructive: true,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/monitors/{id}/push-token/rotate' },
  cli: ['monitor', 'rotate-push-token'],
  mcp: true,
  offline: false,
  async run({ services }, { id }) {
    const update = need(services.monitors.update, services.unavailableReason);
    pushUrlOf(await services.monitors.get(id));
    return pushUrlOf(await update(id, { options: { token: newPushToken() } }));
  },
});
