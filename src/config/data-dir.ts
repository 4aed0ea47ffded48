import fs from 'node:fs';
import path from 'node:path';

/** Well-known files inside a data dir. */
export function dataDirPaths(dataDir: string) {
  return {
    root: dataDir,
    database: path.join(dataDir, 'crosscheck.db'),
    daemonInfo: path.join(dataDir, 'daemon.json'),
    lock: path.join(dataDir, 'daemon.lock'),
    /** A read-write API token of the built-in local admin (the CLI on this machine sends it). */
    apiToken: path.join(dataDir, 'api-token'),
    /** An agent's scrape-only token: it reads `/metrics` and nothing else (for Prometheus). */
    metricsToken: path.join(dataDir, 'metrics-token'),
    /** One-time token for creating the first admin; exists only until that is done. */
    setupToken: path.join(dataDir, 'setup-token'),
    /** An agent's token on the coordinator, for the API calls it forwards for its CLI. */
    operatorToken: path.join(dataDir, 'operator-token'),
    nodeId: path.join(dataDir, 'node-id'),
    /** Who this node is and its role (written by init or join). */
    nodeIdentity: path.join(dataDir, 'node.json'),
    certs: path.join(dataDir, 'certs'),
    caCert: path.join(dataDir, 'certs', 'ca.crt'),
    /** The CA signing key: only on the coordinator. */
    caKey: path.join(dataDir, 'certs', 'ca.key'),
    nodeCert: path.join(dataDir, 'certs', 'node.crt'),
    nodeKey: path.join(dataDir, 'certs', 'node.key'),
    /** An agent's copy of its last config, so it keeps checking without the coordinator. */
    configCache: path.join(dataDir, 'config-cache.json'),
    /** An agent's results not yet acknowledged by the coordinator. */
    outbox: path.join(dataDir, 'outbox.db'),
  };
}

/** Creates the data dir with mode 0700 (and tightens an existing one). */
export function ensureDataDir(dataDir: string): void {
  // Parents (e.g. ~/.local/share) get the usual mode; only the data dir itself is private.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}

/** Creates a private subdirectory (0700) of the data dir. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** A file's text, or undefined when it does not exist (other read errors throw). */
export function readOptionalFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a file atomically with mode 0600 (temp file + rename). */
export function writePrivateFile(file: string, content: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content, { mode: 0o600 });
  fs.renameSync(temp, file);
}
