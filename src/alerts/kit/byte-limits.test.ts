import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitBytes, truncateBytes, utf8Length } from './byte-limits.ts';

describe('UTF-8 byte limits', () => {
  it('keeps a text that already fits unchanged', () => {
    assert.equal(truncateBytes('plain ascii', 100), 'plain ascii');
  });

  it('cuts multi-byte text to the byte limit, not the character limit', () => {
    const chinese = '监控告警'.repeat(100); // 3 bytes a character
    const cut = truncateBytes(chinese, 100);
    assert.ok(utf8Length(cut) <= 100, `${utf8Length(cut)} bytes`);
    assert.ok(cut.endsWith('…'));
    assert.ok(Array.from(cut).length > 20, 'keeps as much as fits');
  });

  it('never splits an emoji', () => {
    const cut = truncateBytes('🔥'.repeat(50), 30);
    assert.ok(utf8Length(cut) <= 30);
    assert.doesNotMatch(cut, /\uFFFD/);
  });

  it('lets the renderer decide what to drop as the limit shrinks', () => {
    const limits: number[] = [];
    const text = fitBytes((limit) => {
      limits.push(limit);
      return 'é'.repeat(limit);
    }, 64);
    assert.ok(utf8Length(text) <= 64);
    assert.equal(limits[0], 64);
    assert.ok(limits.every((limit, i) => i === 0 || limit < (limits[i - 1] ?? Infinity)));
  });
});
