import assert from 'node:assert/strict';
import { configFileSchema } from '../../src/config-file/schema.ts';
import type { ConfigFileInput } from '../../src/config-file/schema.ts';
import type { ConfigService } from '../../src/config-file/config-service.ts';
import { createConfigService } from '../../src/config-file/config-service.ts';
import { isAppError } from '../../src/lib/errors.ts';
import { createMonitorChangeBus } from '../../src/services/events.ts';
import type { Store } from '../../src/store/types.ts';
import { FakeClock } from './fake-clock.ts';
import { tempSqliteStore } from './temp-store.ts';

// The config service over a throwaway SQLite store, and what its tests build and read: a parsed
// file, and the issues an apply was refused with.

/** A config file (version 1) parsed by the file schema. */
export function configFile(parts: Omit<ConfigFileInput, 'version'>) {
  return configFileSchema.parse({ version: 1, ...parts });
}

/** The issues an apply was refused with (VALIDATION), as `path: message`; fails if accepted. */
export async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isAppError(error) && error.code === 'VALIDATION', String(error));
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('the apply was accepted');
}

/** A config service over a fresh SQLite store; `cleanup` removes the store. */
export async function tempConfigService(
  onAlertingChanged: () => void = () => undefined,
): Promise<{ store: Store; service: ConfigService; cleanup: () => Promise<void> }> {
  const { store, cleanup } = await tempSqliteStore();
  let counter = 0;
  const service = createConfigService({
    store,
    clock: new FakeClock(Date.UTC(2026, 0, 1)),
    changes: createMonitorChangeBus(),
    newId: (prefix) => `${prefix}-${++counter}`,
    onAlertingChanged,
  });
  return { store, service, cleanup };
}
