/** What ping's output says about one run. */
export interface PingSummary {
  sent: number;
  received: number;
  lossPercent: number;
  rttMinMs: number | undefined;
  rttAvgMs: number | undefined;
  rttMaxMs: number | undefined;
  /** Per-reply round-trip times, duplicates left out. */
  replyTimesMs: number[];
}

const COUNTS = /(\d+) packets transmitted, (\d+) (?:packets )?received/;
const LOSS = /(\d+(?:\.\d+)?)% packet loss/;
// iputils: "rtt min/avg/max/mdev = a/b/c/d ms"; busybox and BSD: "round-trip min/avg/max… = ".
const RTT = /(?:rtt|round-trip) min\/avg\/max(?:\/\w+)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/;
const REPLY_TIME = /time[=<]([\d.]+) ?ms/;

/** Parses ping's statistics and replies (C locale); undefined when there is no statistics block. */
export function parsePingOutput(stdout: string): PingSummary | undefined {
  const counts = COUNTS.exec(stdout);
  if (!counts) return undefined;
  const sent = Number(counts[1]);
  const received = Number(counts[2]);
  const lossMatch = LOSS.exec(stdout);
  const lossPercent = lossMatch ? Number(lossMatch[1]) : lossFrom(sent, received);
  const replyTimesMs = replyTimes(stdout);
  const rtt = RTT.exec(stdout);
  const [min, avg, max] = rtt
    ? [Number(rtt[1]), Number(rtt[2]), Number(rtt[3])]
    : stats(replyTimesMs);
  return {
    sent,
    received,
    lossPercent: Math.round(lossPercent * 100) / 100,
    rttMinMs: min,
    rttAvgMs: avg,
    rttMaxMs: max,
    replyTimesMs,
  };
}

function replyTimes(stdout: string): number[] {
  const times: number[] = [];
  for (const line of stdout.split('\n')) {
    if (line.includes('DUP!')) continue;
    const match = REPLY_TIME.exec(line);
    if (match) times.push(Number(match[1]));
  }
  return times;
}

function stats(times: number[]): [number | undefined, number | undefined, number | undefined] {
  if (times.length === 0) return [undefined, undefined, undefined];
  const sum = times.reduce((total, time) => total + time, 0);
  return [Math.min(...times), sum / times.length, Math.max(...times)];
}

function lossFrom(sent: number, received: number): number {
  return sent === 0 ? 100 : ((sent - received) / sent) * 100;
}
