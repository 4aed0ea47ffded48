import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expirationOf, parseDomainObject, registrarOf } from './rdap.ts';

const registrar = {
  objectClassName: 'entity',
  roles: ['registrar'],
  handle: '292',
  vcardArray: [
    'vcard',
    [
      ['version', {}, 'text', '4.0'],
      ['fn', {}, 'text', 'MarkMonitor Inc.'],
    ],
  ],
};

describe('rdap domain objects', () => {
  it('reads name, expiry, registrar and status', () => {
    const facts = parseDomainObject({
      objectClassName: 'domain',
      ldhName: 'EXAMPLE.COM',
      status: ['client transfer prohibited', 42],
      events: [
        { eventAction: 'registration', eventDate: '1995-08-14T04:00:00Z' },
        { eventAction: 'expiration', eventDate: '2027-08-13T04:00:00Z' },
      ],
      entities: [{ roles: ['technical'], handle: 'x' }, registrar],
    });
    assert.deepEqual(facts, {
      name: 'example.com',
      expiresAt: new Date('2027-08-13T04:00:00Z'),
      registrar: 'MarkMonitor Inc.',
      status: ['client transfer prohibited'],
    });
  });

  it('says why a reply is not a domain object', () => {
    assert.deepEqual(parseDomainObject([]), { error: 'the reply is not a JSON object' });
    assert.deepEqual(parseDomainObject({ objectClassName: 'entity' }), {
      error: 'the reply is a "entity" object, not a domain',
    });
  });

  it('takes the latest valid expiration event and ignores malformed ones', () => {
    assert.deepEqual(
      expirationOf([
        { eventAction: 'expiration', eventDate: 'not a date' },
        { eventAction: 'expiration', eventDate: '2027-01-01T00:00:00Z' },
        { eventAction: 'expiration', eventDate: '2028-01-01T00:00:00Z' },
        { eventAction: 'last changed', eventDate: '2029-01-01T00:00:00Z' },
      ]),
      new Date('2028-01-01T00:00:00Z'),
    );
    assert.equal(expirationOf(undefined), null);
  });

  it('never throws on any JSON, and finds an expiration wherever it is listed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue()),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        (noise, ms) => {
          const date = new Date(ms);
          const events = [...noise, { eventAction: 'expiration', eventDate: date.toISOString() }];
          const found = expirationOf(events);
          assert.ok(found !== null && found >= date);
          parseDomainObject({ events: noise, entities: noise, status: noise });
        },
      ),
    );
  });

  it('falls back to the handle when the registrar has no fn', () => {
    assert.equal(registrarOf([{ roles: ['registrar'], handle: '1234' }]), '1234');
    assert.equal(registrarOf('nonsense'), null);
  });
});
