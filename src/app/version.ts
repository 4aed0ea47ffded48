// Temporary: only cli/offline-backend.ts still imports the version from here; removed when the
// CLI backend is derived from the registry (import config/version.ts instead).
export { VERSION } from '../config/version.ts';
