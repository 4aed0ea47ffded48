import type { Answer } from 'dns-packet';

const RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
] as const;

/** The response code name from a DNS header's flags (`NXDOMAIN`, `RCODE_12`…). */
export function rcodeName(flags: number): string {
  const code = flags & 0xf;
  return RCODES[code] ?? `RCODE_${code}`;
}

/**
 * One answer as text, the way dig prints its data: A `1.2.3.4`, MX `10 mail.example.com`,
 * TXT strings joined, SOA `mname rname serial refresh retry expire minimum`, SRV
 * `priority weight port target`, CAA `0 issue letsencrypt.org`.
 */
export function formatAnswer(answer: Answer): string {
  switch (answer.type) {
    case 'MX':
      return `${answer.data.preference ?? 0} ${answer.data.exchange}`;
    case 'TXT':
      return txtText(answer.data);
    case 'SOA': {
      const soa = answer.data;
      const numbers = [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum];
      return [soa.mname, soa.rname, ...numbers.map((n) => n ?? 0)].join(' ');
    }
    case 'SRV': {
      const srv = answer.data;
      return `${srv.priority ?? 0} ${srv.weight ?? 0} ${srv.port} ${srv.target}`;
    }
    case 'CAA':
      return `${answer.data.flags ?? 0} ${answer.data.tag} ${answer.data.value}`;
    case 'OPT':
      return '';
    default:
      return typeof answer.data === 'string' ? answer.data : '(unsupported record data)';
  }
}

function txtText(data: string | Buffer | (string | Buffer)[]): string {
  const parts = Array.isArray(data) ? data : [data];
  // Character-strings of one TXT record are one value (SPF/DKIM split long ones): join, no spaces.
  return parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
}
