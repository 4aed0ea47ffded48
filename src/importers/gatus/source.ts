import { z } from 'zod';
import { sourceError, sourceIssues } from '../source-errors.ts';

// Gatus v5's configuration file (README, "Configuration"): the parts an import reads.
// Unknown keys are kept out of the way (loose objects), so newer Gatus files still read.

const stringMap = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]).transform(String),
);

export const gatusAlertSchema = z.looseObject({
  type: z.string().min(1),
  enabled: z.boolean().optional(),
  'failure-threshold': z.number().int().min(1).optional(),
  'success-threshold': z.number().int().min(1).optional(),
  'send-on-resolved': z.boolean().optional(),
  description: z.string().optional(),
  'provider-override': z.record(z.string(), z.unknown()).optional(),
});

const endpointSchema = z.looseObject({
  name: z.string().min(1),
  group: z.string().optional(),
  url: z.string().min(1),
  enabled: z.boolean().optional(),
  method: z.string().optional(),
  body: z.string().optional(),
  headers: stringMap.optional(),
  interval: z.string().optional(),
  conditions: z.array(z.string()).default([]),
  alerts: z.array(gatusAlertSchema).default([]),
  client: z
    .looseObject({
      insecure: z.boolean().optional(),
      'ignore-redirect': z.boolean().optional(),
      timeout: z.string().optional(),
    })
    .optional(),
  dns: z.looseObject({ 'query-name': z.string(), 'query-type': z.string() }).optional(),
  ssh: z.record(z.string(), z.unknown()).optional(),
  'extra-labels': stringMap.optional(),
});

const externalEndpointSchema = z.looseObject({
  name: z.string().min(1),
  group: z.string().optional(),
});

const configSchema = z.looseObject({
  alerting: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).default({}),
  endpoints: z.array(endpointSchema).default([]),
  'external-endpoints': z.array(externalEndpointSchema).default([]),
});

export type GatusAlert = z.output<typeof gatusAlertSchema>;
export type GatusEndpoint = z.output<typeof endpointSchema>;

export interface GatusSource {
  format: string;
  /** Provider name → its settings (`alerting.slack`…). */
  alerting: Record<string, Record<string, unknown>>;
  endpoints: GatusEndpoint[];
  externalEndpoints: { name: string }[];
  /** Paths of values that name an environment variable (`${SLACK_URL}`), left as written. */
  envPlaceholders: { path: string; variables: string[] }[];
}

/** A parsed Gatus file as a source, or VALIDATION naming the file and every bad field. */
export function parseGatusConfig(value: unknown, file: string): GatusSource {
  const parsed = configSchema.safeParse(value ?? {});
  if (!parsed.success) throw sourceError(file, sourceIssues(parsed.error));
  const config = parsed.data;
  return {
    format: 'Gatus v5 configuration',
    alerting: Object.fromEntries(
      Object.entries(config.alerting).map(([name, settings]) => [name, settings ?? {}]),
    ),
    endpoints: config.endpoints,
    externalEndpoints: config['external-endpoints'],
    envPlaceholders: findPlaceholders(value, ''),
  };
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Every string value that names `${VARIABLES}`, with its path (`alerting.slack.webhook-url`). */
function findPlaceholders(value: unknown, path: string): { path: string; variables: string[] }[] {
  if (typeof value === 'string') {
    const variables = [...value.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
    return variables.length > 0 ? [{ path, variables }] : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, i) => findPlaceholders(item, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) =>
      findPlaceholders(item, path === '' ? key : `${path}.${key}`),
    );
  }
  return [];
}
