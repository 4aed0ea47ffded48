import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { QR_QUIET_ZONE, qrDrawing } from '../../web/src/lib/qr-matrix.ts';

/** The dark modules a drawing's path paints, as "row,col" of the code (quiet zone removed). */
function darkModules(path: string): Set<string> {
  const dark = new Set<string>();
  for (const match of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g))
    dark.add(`${Number(match[2]) - QR_QUIET_ZONE},${Number(match[1]) - QR_QUIET_ZONE}`);
  return dark;
}

/** A finder pattern at (top, left): dark 7×7 ring, light ring inside, dark 3×3 centre. */
function hasFinder(dark: Set<string>, top: number, left: number): boolean {
  for (let r = 0; r < 7; r += 1)
    for (let c = 0; c < 7; c += 1) {
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      if (dark.has(`${top + r},${left + c}`) !== (ring !== 2)) return false;
    }
  return true;
}

describe('qrDrawing', () => {
  const uri = 'otpauth://totp/Crosscheck:vera?secret=JBSWY3DPEHPK3PXP&issuer=Crosscheck';

  it('draws the three finder patterns inside a quiet zone', () => {
    const { size, path } = qrDrawing(uri);
    const modules = size - 2 * QR_QUIET_ZONE;
    assert.equal((modules - 17) % 4, 0, 'a QR version is 17 + 4n modules wide');
    const dark = darkModules(path);
    assert.ok(hasFinder(dark, 0, 0), 'top left');
    assert.ok(hasFinder(dark, 0, modules - 7), 'top right');
    assert.ok(hasFinder(dark, modules - 7, 0), 'bottom left');
    assert.ok(!hasFinder(dark, modules - 7, modules - 7), 'no finder bottom right');
    for (const key of dark) {
      const [row = -1, col = -1] = key.split(',').map(Number);
      assert.ok(row >= 0 && col >= 0 && row < modules && col < modules, `${key} inside`);
    }
  });

  it('is deterministic, and different text draws a different code', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.string({ maxLength: 200 }),
        (a, b) => {
          assert.deepEqual(qrDrawing(a), qrDrawing(a));
          if (a !== b) assert.notEqual(qrDrawing(a).path, qrDrawing(b).path);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('grows with the text', () => {
    assert.ok(qrDrawing('x'.repeat(300)).size > qrDrawing(uri).size);
  });
});
