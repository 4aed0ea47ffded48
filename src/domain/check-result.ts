/**
 * Outcome of one check run, as every check type reports it. `error`: the check could not run
 * because of this node (missing binary, no permission, no file descriptors, its own network
 * down per its canaries); it says nothing about the target, so it opens no incident, moves no
 * streak and counts as an abstention.
 */
export type CheckStatus = 'up' | 'degraded' | 'down' | 'error';

export const CHECK_STATUSES: readonly CheckStatus[] = ['up', 'degraded', 'down', 'error'];

/**
 * Why a check failed; stable values, shown to users and stored. `node`: the fault is this
 * node's (only with status `error`). `pattern`: the monitor's own pattern (a regex, a JSONPath)
 * ran past its deadline on what the target sent, so the check could not judge it.
 */
export type ErrorKind =
  'timeout' | 'refused' | 'dns' | 'tls' | 'status' | 'assertion' | 'network' | 'node' | 'pattern';

export const ERROR_KINDS: readonly ErrorKind[] = [
  'timeout',
  'refused',
  'dns',
  'tls',
  'status',
  'assertion',
  'network',
  'node',
  'pattern',
];

/** Per-phase timings in milliseconds; a phase is absent when the check type has no such phase. */
export interface PhaseTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
}

/** Type-specific facts worth storing and showing (status code, cert days left, RTTs, rcode…). */
export type CheckDetails = Record<string, string | number | boolean | null | readonly string[]>;

/**
 * What a failed check shows beside its message, kept with the incident it opens or belongs to
 * (a browser transaction's screenshot and console errors). Bounded by the check that makes it.
 */
export interface CheckEvidence {
  /** A JPEG of the page when the check failed, base64, at most 200 KB decoded. */
  screenshotJpeg?: string;
  /** The page's console errors and uncaught exceptions, capped in count and length. */
  consoleErrors: readonly string[];
}

/**
 * One result shape for every check type. A down target is data (`status: 'down'` with an
 * `errorKind`), never an exception.
 */
export interface CheckResult {
  status: CheckStatus;
  /** Total wall time of the check in milliseconds. */
  latencyMs: number;
  timings: PhaseTimings;
  /**
   * Present exactly when status is `down` or `error` (`node`), and for degraded results caused
   * by a failed expectation.
   */
  errorKind?: ErrorKind;
  /** A short human sentence: "HTTP 200 in 12 ms", "connection refused", "certificate expires in 3 days". */
  message: string;
  details: CheckDetails;
  /** Present only on failures of check types that gather evidence (browser). */
  evidence?: CheckEvidence;
}

/** A result as recorded: which monitor, when it started, plus the check outcome. */
export interface RecordedResult extends CheckResult {
  /** Globally unique id, so replays insert nothing twice. */
  id: string;
  monitorId: string;
  /** Node that ran the check. */
  nodeId: string;
  /** Epoch ms when the check started. */
  checkedAt: number;
}
