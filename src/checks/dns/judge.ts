import type { Answer, DecodedPacket } from 'dns-packet';
import type { CheckDetails, CheckResult, PhaseTimings } from '../../domain/check-result.ts';
import { isSlowerThan } from '../degraded-after.ts';
import { degradedResult, downResult, upResult } from '../outcome.ts';
import { formatAnswer, rcodeName } from './answers.ts';
import { checkExpectations } from './expectations.ts';
import type { MatchMode } from './expectations.ts';

/** What the response is judged against. */
export interface DnsVerdictInput {
  name: string;
  recordType: string;
  expect: readonly string[];
  match: MatchMode;
  degradedThresholdMs: number | undefined;
  latencyMs: number;
  /** Facts known before the answer (resolver, transport…), copied into the result. */
  details: CheckDetails;
}

const SHOWN_VALUES = 3;

/** Turns a DNS response into a result: rcode, answers of the asked type, expectations, speed. */
export function judgeDnsResponse(response: DecodedPacket, input: DnsVerdictInput): CheckResult {
  const { latencyMs, recordType, name } = input;
  const timings: PhaseTimings = { dnsMs: latencyMs };
  const rcode = rcodeName(response.flags ?? 0);
  const records = (response.answers ?? []).filter((answer) => answer.type === recordType);
  const answers = records.map(formatAnswer);
  const details = { ...input.details, ...responseDetails(response, records, recordType), rcode };
  if (rcode !== 'NOERROR') {
    return downResult('dns', latencyMs, `${rcode} for ${name} ${recordType}`, timings, details);
  }
  if (records.length === 0) {
    const message = `no ${recordType} records for ${name} (NOERROR, empty answer)`;
    return downResult('dns', latencyMs, message, timings, details);
  }
  const expectation = checkExpectations(recordType, input.expect, answers, input.match);
  if (!expectation.ok) {
    const message = `expected ${input.match} of ${list(input.expect)}, got ${list(answers)}`;
    const withMissing = { ...details, missing: expectation.missing };
    return downResult('assertion', latencyMs, message, timings, withMissing);
  }
  const plural = records.length === 1 ? '' : 's';
  const summary = `${records.length} ${recordType} record${plural} in ${Math.round(latencyMs)} ms: ${shown(answers)}`;
  if (isSlowerThan(latencyMs, input.degradedThresholdMs)) {
    const message = `${summary} (slower than ${input.degradedThresholdMs} ms)`;
    return degradedResult(latencyMs, message, timings, details);
  }
  return upResult(latencyMs, summary, timings, details);
}

function responseDetails(
  response: DecodedPacket,
  records: readonly Answer[],
  recordType: string,
): CheckDetails {
  const ttls = records.map(ttlOf);
  return {
    authoritative: response.flag_aa,
    answers: records.map(formatAnswer),
    ttls: ttls.map(String),
    minTtl: ttls.length > 0 ? Math.min(...ttls) : null,
    ...aliasDetails(response.answers ?? [], recordType),
  };
}

function ttlOf(answer: Answer): number {
  return 'ttl' in answer ? (answer.ttl ?? 0) : 0;
}

/** CNAMEs passed through on the way to the asked type, so an alias change is visible. */
function aliasDetails(all: readonly Answer[], recordType: string): CheckDetails {
  if (recordType === 'CNAME') return {};
  const aliases = all.filter((answer) => answer.type === 'CNAME').map(formatAnswer);
  return aliases.length > 0 ? { cnames: aliases } : {};
}

function list(values: readonly string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
}

function shown(values: readonly string[]): string {
  const head = values.slice(0, SHOWN_VALUES).join(', ');
  return values.length > SHOWN_VALUES ? `${head}, … (+${values.length - SHOWN_VALUES})` : head;
}
