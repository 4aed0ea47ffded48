/** What the check reads from an RDAP domain object (RFC 9083 §5.3). */
export interface DomainFacts {
  /** The registry's name for the domain (`ldhName`), if given. */
  name: string | null;
  /** `events[eventAction="expiration"]`, as a Date; null when the registry publishes none. */
  expiresAt: Date | null;
  /** The `fn` of the entity with the `registrar` role, if any. */
  registrar: string | null;
  /** `status` values such as `client transfer prohibited`. */
  status: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Reads a parsed RDAP reply as a domain object, or says why it is not one. Unknown members are
 * ignored (RDAP allows extensions); malformed known members count as absent.
 */
export function parseDomainObject(body: unknown): DomainFacts | { error: string } {
  if (!isObject(body)) return { error: 'the reply is not a JSON object' };
  if (body.objectClassName !== undefined && body.objectClassName !== 'domain')
    return {
      error: `the reply is a ${JSON.stringify(body.objectClassName)} object, not a domain`,
    };
  return {
    name: typeof body.ldhName === 'string' ? body.ldhName.toLowerCase() : null,
    expiresAt: expirationOf(body.events),
    registrar: registrarOf(body.entities),
    status: asArray(body.status).filter((item): item is string => typeof item === 'string'),
  };
}

/** The latest valid `expiration` event date (a registry may list renewals more than once). */
export function expirationOf(events: unknown): Date | null {
  let latest: Date | null = null;
  for (const event of asArray(events)) {
    if (!isObject(event) || event.eventAction !== 'expiration') continue;
    if (typeof event.eventDate !== 'string') continue;
    const date = new Date(event.eventDate);
    if (Number.isNaN(date.getTime())) continue;
    if (latest === null || date > latest) latest = date;
  }
  return latest;
}

/** The registrar's name: the `fn` of the jCard of the entity whose roles include `registrar`. */
export function registrarOf(entities: unknown): string | null {
  for (const entity of asArray(entities)) {
    if (!isObject(entity) || !asArray(entity.roles).includes('registrar')) continue;
    const vcard = asArray(entity.vcardArray)[1];
    for (const property of asArray(vcard)) {
      const [name, , , value] = asArray(property);
      if (name === 'fn' && typeof value === 'string' && value !== '') return value;
    }
    if (typeof entity.handle === 'string') return entity.handle;
  }
  return null;
}
