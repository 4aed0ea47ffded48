// Port-level packet drops inside a lab namespace, next to the address blocks of netns.ts: a
// dropped TCP port makes a service *hang* (connects time out) instead of refusing, which is how
// a test keeps a confirmation round open for the length of the check's timeout.
import { AppError } from '../../src/lib/errors.ts';
import { findTool, run } from './netns-process.ts';
import type { Lab } from './netns.ts';

/** Its own table, so netns.ts redefining `crosscheck_lab` never touches these rules. */
const NFT_TABLE = 'crosscheck_lab_ports';

/** Drops and restores inbound TCP ports per host; state lives in the returned object. */
export interface PortFilter {
  /** Silently drops inbound TCP to `port` inside `host` (connects hang until they time out). */
  drop(host: string, port: number): Promise<void>;
  /** Undoes drop. */
  accept(host: string, port: number): Promise<void>;
}

/** A port filter for one lab. */
export function portFilter(lab: Lab): PortFilter {
  const dropped = new Map<string, Set<number>>();
  const apply = async (host: string): Promise<void> => {
    const ns = lab.host(host).ns;
    await run(tool('ip'), ['netns', 'exec', ns, tool('nft'), '-f', '-'], {
      input: nftPortRuleset([...(dropped.get(host) ?? [])]),
    });
  };
  return {
    async drop(host, port) {
      dropped.set(host, (dropped.get(host) ?? new Set()).add(port));
      await apply(host);
    },
    async accept(host, port) {
      dropped.get(host)?.delete(port);
      await apply(host);
    },
  };
}

/** The nft script that (re)defines the port table inside one namespace. */
export function nftPortRuleset(ports: readonly number[]): string {
  const elements =
    ports.length > 0 ? `add element inet ${NFT_TABLE} ports { ${ports.join(', ')} }\n` : '';
  // "table X" before "delete table X" makes the delete valid whether or not the table exists.
  return (
    `table inet ${NFT_TABLE}\n` +
    `delete table inet ${NFT_TABLE}\n` +
    `table inet ${NFT_TABLE} {\n` +
    `  set ports { type inet_service; }\n` +
    `  chain input { type filter hook input priority 0; policy accept; tcp dport @ports drop; }\n` +
    `}\n` +
    elements
  );
}

function tool(name: 'ip' | 'nft'): string {
  const found = findTool(name);
  if (!found) throw new AppError('UNAVAILABLE', `\`${name}\` is not installed`);
  return found;
}
