import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, it } from 'node:test';
import { AppError } from '../lib/errors.ts';
import { chooseJoinAddress } from './join-address.ts';

const iface = (
  address: string,
  family: 'IPv4' | 'IPv6',
  internal = false,
): NetworkInterfaceInfo => ({
  address,
  family,
  internal,
  netmask: '',
  mac: '',
  cidr: null,
  scopeid: 0,
});

describe('chooseJoinAddress', () => {
  const interfaces = {
    lo: [iface('127.0.0.1', 'IPv4', true)],
    eth0: [iface('fd00::5', 'IPv6'), iface('10.1.2.3', 'IPv4')],
  };

  it('prefers the advertised address', () => {
    assert.equal(
      chooseJoinAddress({
        advertise: 'mon.example:7433',
        listenHost: '0.0.0.0',
        boundPort: 7433,
        interfaces,
      }),
      'mon.example:7433',
    );
  });

  it('uses a specific listen host with the bound port', () => {
    assert.equal(
      chooseJoinAddress({ advertise: null, listenHost: '127.0.0.1', boundPort: 40001, interfaces }),
      '127.0.0.1:40001',
    );
    assert.equal(
      chooseJoinAddress({ advertise: null, listenHost: '::1', boundPort: 7433, interfaces }),
      '[::1]:7433',
    );
  });

  it('picks a non-internal IPv4 address for a wildcard listen', () => {
    assert.equal(
      chooseJoinAddress({ advertise: null, listenHost: '0.0.0.0', boundPort: 7433, interfaces }),
      '10.1.2.3:7433',
    );
  });

  it('fails clearly when only loopback exists', () => {
    assert.throws(
      () =>
        chooseJoinAddress({
          advertise: null,
          listenHost: '::',
          boundPort: 7433,
          interfaces: { lo: interfaces.lo },
        }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'UNAVAILABLE' &&
        /--advertise/.test(error.message),
    );
  });
});
