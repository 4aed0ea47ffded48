import type { NetworkInterfaceInfo } from 'node:os';
import { AppError } from '../lib/errors.ts';
import { formatHostPort } from './pki/tls-options.ts';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '*', '']);

/**
 * The address put in join tokens: the advertised one when set, else the listen host when it is
 * specific, else the machine's first non-internal IPv4 address (then IPv6) with the bound port.
 */
export function chooseJoinAddress(options: {
  advertise: string | null;
  listenHost: string;
  boundPort: number;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
}): string {
  if (options.advertise !== null) return options.advertise;
  if (!WILDCARDS.has(options.listenHost))
    return formatHostPort(options.listenHost, options.boundPort);
  const all = Object.values(options.interfaces).flatMap((list) => list ?? []);
  const usable = all.filter((i) => !i.internal && !(i.family === 'IPv6' && i.scopeid !== 0));
  const pick = usable.find((i) => i.family === 'IPv4') ?? usable.find((i) => i.family === 'IPv6');
  if (pick === undefined) {
    throw new AppError(
      'UNAVAILABLE',
      'cannot choose an address for join tokens: the peer port listens on every interface and ' +
        'this machine has no non-loopback address; set one with `crosscheck init --advertise host:port`',
    );
  }
  return formatHostPort(pick.address, options.boundPort);
}
