import { gatusImporter } from './gatus/index.ts';
import type { ImportPlan, ImporterDefinition, MappingTable } from './types.ts';
import { uptimeKumaImporter } from './uptime-kuma/index.ts';

/** An importer with its source type erased: what the CLI and the docs need. */
export interface AnyImporter {
  name: string;
  title: string;
  fileArgument: string;
  description: string;
  mappings: readonly MappingTable[];
  /** Reads and maps a file; throws VALIDATION naming the file and field for bad input. */
  plan(file: string): ImportPlan;
}

function erase<S>(importer: ImporterDefinition<S>): AnyImporter {
  const { read, map, ...rest } = importer;
  return { ...rest, plan: (file) => map(read(file)) };
}

/** Every importer, one line each: `crosscheck import <name>` and docs/importing.md derive from it. */
export const IMPORTERS: readonly AnyImporter[] = [erase(uptimeKumaImporter), erase(gatusImporter)];
