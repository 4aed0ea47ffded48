import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bannerMatches, describePattern, parseBannerPattern, printable } from './banner.ts';
import type { BannerPattern } from './banner.ts';

function pattern(source: string): BannerPattern {
  const parsed = parseBannerPattern(source);
  assert.ok(!('error' in parsed), `expected ${source} to parse`);
  return parsed;
}

test('plain text is a substring match with escapes decoded', () => {
  const ssh = pattern('SSH-2.0');
  assert.equal(ssh.kind, 'text');
  assert.ok(bannerMatches(ssh, 'SSH-2.0-OpenSSH_9.2\r\n'));
  assert.ok(!bannerMatches(ssh, 'ssh-2.0'));
  assert.ok(bannerMatches(pattern('OK\\r\\n'), '+OK\r\n'));
});

test('/body/flags is a regular expression', () => {
  const smtp = pattern('/^220 .*ESMTP/i');
  assert.equal(smtp.kind, 'regex');
  assert.ok(bannerMatches(smtp, '220 mail.test esmtp ready'));
  assert.ok(!bannerMatches(smtp, '554 no service'));
  // Matching twice gives the same answer: no stateful flags.
  assert.ok(bannerMatches(smtp, '220 a ESMTP') && bannerMatches(smtp, '220 a ESMTP'));
});

test('rejects invalid regexes and stateful flags with a reason', () => {
  const broken = parseBannerPattern('/(unclosed/');
  assert.ok('error' in broken && broken.error.startsWith('invalid regex'));
  const global = parseBannerPattern('/x/g');
  assert.ok('error' in global && global.error.includes('"g"'));
  // A lone slash pair with no body is text, not a regex.
  assert.equal(pattern('//').kind, 'text');
});

test('describes patterns as written', () => {
  assert.equal(describePattern(pattern('OK\\n')), '"OK\\n"');
  assert.equal(describePattern(pattern('/^2\\d\\d/')), '/^2\\d\\d/');
});

test('printable escapes control characters and truncates long text', () => {
  assert.equal(printable('hi\r\n\x00\x1b[0m\\'), 'hi\\r\\n\\x00\\x1b[0m\\\\');
  const long = printable('x'.repeat(500), 10);
  assert.equal(long, `${'x'.repeat(10)}…`);
  assert.equal(printable('héllo ✓'), 'héllo ✓');
});
