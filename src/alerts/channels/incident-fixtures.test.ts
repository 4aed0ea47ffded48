import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentedExample, HttpChannelFixture } from '../testing/channel-fixture.ts';
import type { ProviderRequest } from '../testing/channel-fixture.ts';
import { fixture as alertmanager } from './alertmanager/fixture.ts';
import { fixture as datadog } from './datadog/fixture.ts';
import { fixture as grafanaOncall } from './grafana_oncall/fixture.ts';
import { fixture as ilert } from './ilert/fixture.ts';
import { fixture as incidentIo } from './incident_io/fixture.ts';
import { fixture as opsgenie } from './opsgenie/fixture.ts';
import { fixture as pagerduty } from './pagerduty/fixture.ts';
import { fixture as signl4 } from './signl4/fixture.ts';
import { fixture as splunkOncall } from './splunk_oncall/fixture.ts';
import { fixture as squadcast } from './squadcast/fixture.ts';

// The contract suite proves the incident channels satisfy their fixtures; this proves the
// fixtures can fail: the documented examples, broken the way a provider would refuse, are
// refused by the same protocol checks.

const FIXTURES: Record<string, HttpChannelFixture> = {
  pagerduty,
  opsgenie,
  splunk_oncall: splunkOncall,
  incident_io: incidentIo,
  ilert,
  squadcast,
  signl4,
  grafana_oncall: grafanaOncall,
  alertmanager,
  datadog,
};

function asRequest(example: DocumentedExample, change: Partial<ProviderRequest> = {}) {
  const url = new URL(example.path, 'http://provider.local');
  const request: ProviderRequest = {
    method: example.method,
    path: url.pathname,
    query: url.searchParams,
    headers: Object.fromEntries(
      Object.entries(example.headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    rawBody: example.body,
    json: JSON.parse(example.body) as unknown,
    form: undefined,
  };
  return { ...request, ...change };
}

function firstExample(fixture: HttpChannelFixture): DocumentedExample {
  const example = fixture.documentedExamples[0];
  assert.ok(example !== undefined);
  return example;
}

/** The first example's JSON body with one top-level field replaced. */
function withField(fixture: HttpChannelFixture, field: string, value: unknown): ProviderRequest {
  const example = firstExample(fixture);
  const body = { ...(JSON.parse(example.body) as Record<string, unknown>), [field]: value };
  return asRequest(example, { json: body, rawBody: JSON.stringify(body) });
}

describe('incident channel fixtures refuse what their providers refuse', () => {
  for (const [type, fixture] of Object.entries(FIXTURES)) {
    it(`${type}: wrong method, wrong path and a non-JSON body`, () => {
      const example = firstExample(fixture);
      assert.notDeepEqual(fixture.protocol(asRequest(example, { method: 'GET' })), []);
      assert.notDeepEqual(fixture.protocol(asRequest(example, { path: '/elsewhere' })), []);
      assert.notDeepEqual(
        fixture.protocol(asRequest(example, { json: undefined, rawBody: 'hello' })),
        [],
      );
    });
  }

  const refused: [string, HttpChannelFixture, string, unknown][] = [
    ['PagerDuty: unknown event_action', pagerduty, 'event_action', 'explode'],
    ['PagerDuty: a 31-character routing key', pagerduty, 'routing_key', 'x'.repeat(31)],
    ['Opsgenie: a 131-character message', opsgenie, 'message', 'm'.repeat(131)],
    ['Opsgenie: priority P0', opsgenie, 'priority', 'P0'],
    ['Splunk On-Call: message_type ALERT', splunkOncall, 'message_type', 'ALERT'],
    ['incident.io: status open', incidentIo, 'status', 'open'],
    ['ilert: eventType TRIGGER', ilert, 'eventType', 'TRIGGER'],
    ['Squadcast: no description', squadcast, 'description', undefined],
    ['SIGNL4: X-S4-Status closed', signl4, 'X-S4-Status', 'closed'],
    ['Grafana OnCall: state firing', grafanaOncall, 'state', 'firing'],
    ['Datadog: a 101-character title', datadog, 'title', 't'.repeat(101)],
    ['Datadog: a 4001-character text', datadog, 'text', 't'.repeat(4001)],
  ];
  for (const [label, fixture, field, value] of refused) {
    it(label, () => {
      assert.notDeepEqual(fixture.protocol(withField(fixture, field, value)), []);
    });
  }

  it('PagerDuty: a trigger without payload.severity', () => {
    const body = JSON.parse(firstExample(pagerduty).body) as { payload: Record<string, unknown> };
    delete body.payload['severity'];
    const request = asRequest(firstExample(pagerduty), { json: body });
    assert.notDeepEqual(pagerduty.protocol(request), []);
  });

  it('Alertmanager: an alert without alertname, and a single object instead of an array', () => {
    const example = firstExample(alertmanager);
    const [alert] = JSON.parse(example.body) as { labels: Record<string, string> }[];
    assert.ok(alert !== undefined);
    assert.notDeepEqual(alertmanager.protocol(asRequest(example, { json: alert })), []);
    const unnamed = [{ ...alert, labels: { instance: 'db01:9100' } }];
    assert.notDeepEqual(alertmanager.protocol(asRequest(example, { json: unnamed })), []);
  });
});
