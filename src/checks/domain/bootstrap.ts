import { z } from 'zod';

/**
 * An RDAP bootstrap registry for domain names (RFC 9224 §4): `services` is a list of
 * [entries, service URLs] pairs, an entry being a TLD or a longer label suffix.
 */
export const bootstrapSchema = z.object({
  version: z.string(),
  publication: z.string().optional(),
  description: z.string().optional(),
  services: z.array(z.tuple([z.array(z.string()), z.array(z.string())])),
});

export type RdapBootstrap = z.output<typeof bootstrapSchema>;

/**
 * The base URLs serving `domain` (already ASCII, lower case): the entry matching the longest
 * label suffix wins (RFC 9224 §4), HTTPS URLs first (§3 prefers them); empty when none does.
 */
export function rdapBaseUrls(bootstrap: RdapBootstrap, domain: string): string[] {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  for (let start = 0; start < labels.length; start++) {
    const suffix = labels.slice(start).join('.');
    for (const [entries, urls] of bootstrap.services) {
      if (entries.some((entry) => entry.toLowerCase() === suffix))
        return [...urls].sort((a, b) => Number(isHttps(b)) - Number(isHttps(a)));
    }
  }
  return [];
}

function isHttps(url: string): boolean {
  return url.toLowerCase().startsWith('https:');
}

/** The domain query URL under a base URL (RFC 9082 §3.1.3): `<base>domain/<name>`. */
export function domainQueryUrl(baseUrl: string, domain: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}domain/${encodeURIComponent(domain)}`;
}
