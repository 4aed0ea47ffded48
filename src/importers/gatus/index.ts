import fs from 'node:fs';
import { parseDocument } from 'yaml';
import { sourceError, unreadableFile } from '../source-errors.ts';
import type { ImporterDefinition } from '../types.ts';
import { GATUS_CONDITIONS } from './conditions.ts';
import { GATUS_ENDPOINT_KINDS } from './endpoint-check.ts';
import { GATUS_ENDPOINT_FIELDS, mapGatus } from './map.ts';
import { gatusProviderRows } from './providers.ts';
import { parseGatusConfig } from './source.ts';
import type { GatusSource } from './source.ts';

/** Gatus: one v5 configuration file (a config directory's files can be imported one by one). */
export const gatusImporter: ImporterDefinition<GatusSource> = {
  name: 'gatus',
  title: 'Gatus',
  fileArgument: '<config.yaml>',
  description:
    'endpoints (with their conditions, groups and alerts) and alerting providers from a Gatus ' +
    'v5 configuration file; ${ENV} placeholders are left as written and reported',
  read: readGatusFile,
  map: mapGatus,
  mappings: [
    { title: 'Endpoints', rows: GATUS_ENDPOINT_KINDS },
    { title: 'Endpoint settings', rows: GATUS_ENDPOINT_FIELDS },
    { title: 'Conditions', rows: GATUS_CONDITIONS },
    { title: 'Alerting providers', rows: gatusProviderRows() },
  ],
};

function readGatusFile(file: string): GatusSource {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadableFile(file, 'cannot be read', error);
  }
  const document = parseDocument(content);
  if (document.errors.length > 0) {
    throw sourceError(
      file,
      document.errors.map((error) => ({
        path: error.linePos === undefined ? '' : `line ${error.linePos[0].line}`,
        message: error.message.split('\n')[0] ?? error.message,
      })),
    );
  }
  return parseGatusConfig(document.toJS(), file);
}
