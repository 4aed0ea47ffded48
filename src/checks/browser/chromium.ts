import fs from 'node:fs';

/** Where Debian, Ubuntu and Fedora put Chromium (or Chrome), in the order they are tried. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/**
 * Flags for an unattended, headless browser on a server: no sandbox (daemons often run as root
 * or in containers without user namespaces), no GPU, and nothing that phones home or updates
 * itself, so the only traffic is the monitored site's.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--mute-audio',
];

/**
 * The Chromium to launch: the configured path when given (it must exist), else the first
 * candidate that exists. Undefined with the reason when there is none: the check then abstains.
 */
export function findChromium(
  configured: string | undefined,
  exists: (path: string) => boolean = isExecutable,
): { path: string } | { missing: string } {
  if (configured !== undefined) {
    return exists(configured)
      ? { path: configured }
      : { missing: `Chromium not found at ${configured} (--chromium-path)` };
  }
  const found = CHROMIUM_CANDIDATES.find((candidate) => exists(candidate));
  if (found !== undefined) return { path: found };
  return {
    missing: `Chromium is not installed on this node (looked for ${CHROMIUM_CANDIDATES.join(', ')}; install Debian's chromium or set --chromium-path)`,
  };
}

function isExecutable(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.X_OK);
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}
