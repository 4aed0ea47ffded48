/**
 * What one node saw when it ran a probe: failed, ok, it could not check because of itself
 * (`error`: missing binary, its own network down…), or it never answered.
 */
export type ProbeOutcome = 'fail' | 'ok' | 'error' | 'no-answer';

/** One node's part in a probe, as the verdict needs it. */
export interface ProbeNodeOutcome {
  nodeName: string;
  region: string | null;
  outcome: ProbeOutcome;
}

/**
 * The probe's conclusion. `regional`: failures confined to whole regions while another region
 * sees the target up. `partial`: some nodes fail, but not as whole regions.
 */
export type ProbeVerdictKind =
  'down-everywhere' | 'regional' | 'partial' | 'up-everywhere' | 'no-answer';

export interface ProbeVerdict {
  kind: ProbeVerdictKind;
  /** The regions a regional verdict names (sorted); empty otherwise. */
  regions: string[];
  /** One line for people: "down for everyone", "down from eu-west only", "up everywhere"… */
  line: string;
}

/**
 * Judges a probe from every node's outcome (pure). Nodes that did not answer, or could not
 * check, are left out of every count; the line names those that could not check. The regional rule is the confirmation rounds' one (src/consensus/quorum.ts): at
 * least two failing nodes, all in named regions where every answering node failed, and a named
 * region where every answering node saw the target up — one failing node cannot tell its own
 * network from its region's.
 */
export function probeVerdict(nodes: readonly ProbeNodeOutcome[]): ProbeVerdict {
  const verdict = countedVerdict(nodes);
  const couldNot = nodes
    .filter((n) => n.outcome === 'error')
    .map((n) => n.nodeName)
    .sort();
  if (couldNot.length === 0) return verdict;
  const note = `${listWords(couldNot)} could not check (a fault of ${couldNot.length === 1 ? 'that node' : 'those nodes'})`;
  return { ...verdict, line: `${verdict.line}; ${note}` };
}

function countedVerdict(nodes: readonly ProbeNodeOutcome[]): ProbeVerdict {
  const answered = nodes.filter((n) => n.outcome === 'fail' || n.outcome === 'ok');
  const failing = answered.filter((n) => n.outcome === 'fail');
  if (answered.length === 0) {
    const line = nodes.some((n) => n.outcome === 'error')
      ? 'no node could check'
      : 'no node answered';
    return { kind: 'no-answer', regions: [], line };
  }
  if (failing.length === 0) return { kind: 'up-everywhere', regions: [], line: 'up everywhere' };
  if (failing.length === answered.length)
    return { kind: 'down-everywhere', regions: [], line: 'down for everyone' };
  const regions = wholeFailingRegions(answered, failing);
  if (regions.length > 0)
    return { kind: 'regional', regions, line: `down from ${listWords(regions)} only` };
  const [only] = failing;
  const line =
    failing.length === 1 && only
      ? `down from ${only.nodeName} only (1 of ${answered.length} nodes)`
      : `down from ${failing.length} of ${answered.length} nodes`;
  return { kind: 'partial', regions: [], line };
}

/** The regions of a regional verdict (sorted), or none when the failures are not regional. */
function wholeFailingRegions(
  answered: readonly ProbeNodeOutcome[],
  failing: readonly ProbeNodeOutcome[],
): string[] {
  if (failing.length < 2 || failing.some((n) => n.region === null)) return [];
  const tally = new Map<string, { total: number; failing: number }>();
  for (const node of answered) {
    if (node.region === null) continue;
    const entry = tally.get(node.region) ?? { total: 0, failing: 0 };
    entry.total++;
    if (node.outcome === 'fail') entry.failing++;
    tally.set(node.region, entry);
  }
  const whole = new Set([...tally].filter(([, t]) => t.failing === t.total).map(([r]) => r));
  const confined = failing.every((n) => n.region !== null && whole.has(n.region));
  const anotherUp = [...tally.values()].some((t) => t.failing === 0);
  return confined && anotherUp ? [...whole].sort() : [];
}

/** "a", "a and b", "a, b and c". */
function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}
