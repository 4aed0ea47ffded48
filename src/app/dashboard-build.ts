import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../observability/logger.ts';

/** Where Vite writes the dashboard (web/vite.config.ts) and where the daemon serves it from. */
const BUILT_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const VITE_CONFIG = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));

function isBuilt(): boolean {
  return fs.existsSync(`${BUILT_DIR}index.html`);
}

/**
 * The dashboard's build directory, building it first when a checkout has none yet (`npm ci`
 * runs the build in `prepare`; this covers a clone where that step was skipped). An installed
 * package ships the build, and has no Vite: then a missing build stays missing, and the API,
 * CLI and status pages work without it.
 */
export async function dashboardDir(logger: Logger): Promise<string | undefined> {
  if (isBuilt()) return BUILT_DIR;
  if (!fs.existsSync(VITE_CONFIG)) {
    logger.warn('the dashboard is not built and its sources are absent: serving the API only');
    return undefined;
  }
  try {
    const vite = await import('vite');
    logger.info('building the dashboard (first start from a checkout)');
    await vite.build({ configFile: VITE_CONFIG, logLevel: 'warn' });
  } catch (error) {
    logger.warn({ err: error }, 'could not build the dashboard: run `npm run build:web`');
    return undefined;
  }
  return isBuilt() ? BUILT_DIR : undefined;
}
