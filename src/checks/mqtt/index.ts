import type { CheckResult, ErrorKind } from '../../domain/check-result.ts';
import { withDeadline, wasCancelled } from '../deadline.ts';
import { answeredResult } from '../degraded-after.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import { bannerMatcher, describePattern, parseBannerPattern, printable } from '../tcp/banner.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { MqttOptions } from './options.ts';
import { MQTT_SECRET_OPTIONS, mqttFlags, mqttOptionsSchema, redactMqttOptions } from './options.ts';
import type { MqttProbe } from './probe.ts';
import { probeMqtt } from './probe.ts';
import { mqttTargetSchema, parseMqttTarget } from './target.ts';

/** The `mqtt` check: CONNECT (TLS for mqtts://), optional subscribe, publish and expect. */
export const mqttCheck: CheckDefinition<MqttOptions> = {
  type: 'mqtt',
  description:
    'MQTT broker: connect (login, TLS for mqtts://), optionally subscribe to a topic and expect a message, or publish one and wait for it back',
  targetSchema: mqttTargetSchema,
  optionsSchema: mqttOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: mqttFlags,
  secretOptions: MQTT_SECRET_OPTIONS,
  redact: redactMqttOptions,
  run: runMqttCheck,
};

/** CONNACK return codes of MQTT 3.1.1 (§3.2.2.3), for messages. */
const CONNACK_REASONS: Readonly<Record<number, string>> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

async function runMqttCheck(
  target: string,
  options: MqttOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const started = performance.now();
  const address = parseMqttTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const expected = options.expect ?? options.send;
  const probe = await withDeadline(ctx, (signal) => {
    const pattern = expected === undefined ? undefined : parseBannerPattern(expected);
    const matches =
      pattern === undefined || 'error' in pattern
        ? undefined
        : bannerMatcher(pattern, ctx.patterns, signal);
    return probeMqtt({
      host: address.host,
      port: address.port,
      tls: address.tls ? { insecure: options.insecure === true, ca: options.ca } : undefined,
      username: options.username,
      password: options.password,
      clientIdPrefix: options.clientIdPrefix,
      topic: options.topic,
      send: options.send,
      matches,
      signal,
    });
  });
  const latencyMs = performance.now() - started;
  const details = {
    clientId: probe.clientId,
    ...(options.topic === undefined
      ? {}
      : {
          topic: options.topic,
          messages: probe.messages,
          payload: probe.lastPayload === undefined ? null : printable(probe.lastPayload),
        }),
  };
  const down = (kind: ErrorKind, message: string): CheckResult =>
    downResult(kind, latencyMs, message, probe.timings, details);
  switch (probe.end) {
    case 'connected':
    case 'matched': {
      const what =
        probe.end === 'connected'
          ? 'connected'
          : `${options.send === undefined ? 'message' : 'round trip'} on ${options.topic ?? ''}`;
      const message = `${what} in ${Math.round(latencyMs)} ms`;
      return answeredResult(
        latencyMs,
        message,
        options.degradedThresholdMs,
        probe.timings,
        details,
      );
    }
    case 'refused':
      return describeRefusal(probe, options, down);
    case 'pattern': {
      // Set whenever the probe ends with 'pattern'; a cancelled outcome stands in otherwise.
      const outcome = probe.pattern ?? { status: 'cancelled' as const };
      const failure = patternFailure(outcome, expected ?? '', probe.lastPayload?.length ?? 0);
      return down(failure.errorKind, failure.message);
    }
    case 'aborted':
      return describeAbort(probe, options, ctx, latencyMs, down);
    case 'error': {
      const { kind, message } = classifyNetworkError(probe.error);
      return down(probe.phase === 'dns' ? 'dns' : kind, message);
    }
  }
}

/** The broker said no: to the login (CONNACK) or to the subscription (SUBACK 0x80). */
function describeRefusal(
  probe: MqttProbe,
  options: MqttOptions,
  down: (kind: ErrorKind, message: string) => CheckResult,
): CheckResult {
  const code = probe.returnCode ?? 0;
  if (probe.phase === 'subscribe')
    return down(
      'status',
      `subscription to ${options.topic ?? ''} refused (SUBACK 0x${code.toString(16)})`,
    );
  const reason = CONNACK_REASONS[code] ?? 'refused';
  const what = code === 4 || code === 5 ? 'login refused' : 'connection refused by the broker';
  return down('status', `${what}: ${reason} (CONNACK ${code})`);
}

/** The deadline (or a shutdown) ended the wait: say where, and what came instead. */
function describeAbort(
  probe: MqttProbe,
  options: MqttOptions,
  ctx: CheckContext,
  latencyMs: number,
  down: (kind: ErrorKind, message: string) => CheckResult,
): CheckResult {
  if (wasCancelled(ctx, latencyMs))
    return down(
      'timeout',
      `check cancelled after ${Math.round(latencyMs)} ms during ${probe.phase}`,
    );
  const limit = `${ctx.timeoutMs} ms`;
  switch (probe.phase) {
    case 'dns':
      return down('timeout', `DNS lookup did not finish within ${limit}`);
    case 'connect':
      return down('timeout', `no CONNACK within ${limit}`);
    case 'subscribe':
      return down('timeout', `no SUBACK within ${limit}`);
    case 'message': {
      const topic = options.topic ?? '';
      if (probe.lastPayload === undefined)
        return down('timeout', `no message on ${topic} within ${limit}`);
      const expected = options.expect ?? options.send ?? '';
      const pattern = parseBannerPattern(expected);
      const wanted = 'error' in pattern ? expected : describePattern(pattern);
      return down(
        'assertion',
        `no message on ${topic} matched ${wanted} within ${limit} (${probe.messages} received, last "${printable(probe.lastPayload, 80)}")`,
      );
    }
  }
}
