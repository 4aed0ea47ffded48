import type { SharedCause } from '../domain/cause-group.ts';

// What a failing check can visibly share with other monitors (pure): by default the host or IP
// it targets. A check type whose failures share something else says so in its definition
// (`sharedCauses`: dns names its resolver, push has no target to share).

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The host name or IP literal a target names, lower-cased, without brackets or a trailing dot:
 * `https://Web.example:8443/x` → `web.example`, `[::1]:53` → `::1`, `db:5432` → `db`,
 * `10.0.0.1` → `10.0.0.1`. Null when there is none to read.
 */
export function targetHost(target: string): string | null {
  let host: string;
  if (SCHEME.test(target)) {
    try {
      host = new URL(target).hostname;
    } catch {
      // A target the check type accepted but WHATWG URL does not: it shares nothing visible.
      return null;
    }
  } else if (target.startsWith('[')) {
    host = target.slice(1, target.indexOf(']') === -1 ? undefined : target.indexOf(']'));
  } else {
    const colons = target.split(':').length - 1;
    // One colon is host:port; more is a bare IPv6 address.
    host = colons === 1 ? target.slice(0, target.indexOf(':')) : target;
  }
  host = host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return host === '' ? null : host;
}

/** The default: the target's host. */
export function hostCauses(target: string): SharedCause[] {
  const host = targetHost(target);
  return host === null ? [] : [{ kind: 'host', value: host }];
}
