import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { withSystemDarkTokens } from '../../web/build/theme-tokens.ts';

const STYLESHEET = new URL('../../web/src/styles.css', import.meta.url);

describe('withSystemDarkTokens', () => {
  it('copies the dark block under the system preference, unless light is picked', () => {
    const css =
      ":root { --bg: white; }\n:root[data-theme='dark'] {\n  --bg: black;\n}\na { color: red; }\n";
    const out = withSystemDarkTokens(css);
    assert.ok(out.startsWith(css), 'the stylesheet itself is kept as written');
    assert.match(
      out.slice(css.length),
      /@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme='light'\]\) \{\s*--bg: black;\s*\}\s*\}/,
    );
  });

  it('refuses a stylesheet without the block, or with two', () => {
    assert.throws(() => withSystemDarkTokens(':root { --bg: white; }'), /found 0/);
    const twice = ":root[data-theme='dark'] { --bg: black; }\n:root[data-theme='dark'] { --x: 1; }";
    assert.throws(() => withSystemDarkTokens(twice), /found 2/);
  });

  it('finds exactly one dark block in the dashboard stylesheet, with every light token', () => {
    const css = fs.readFileSync(STYLESHEET, 'utf8');
    const rules = css.replace(/\/\*[\s\S]*?\*\//g, '');
    assert.doesNotMatch(
      rules,
      /prefers-color-scheme/,
      'the media query copy is generated, not written',
    );
    const tokens = (block: string) => [...block.matchAll(/(--[a-z0-9-]+):/g)].map((m) => m[1]);
    const light = /^:root \{([^}]*)\}/m.exec(css)?.[1] ?? '';
    const dark = /^:root\[data-theme='dark'\] \{([^}]*)\}/m.exec(css)?.[1] ?? '';
    const colours = tokens(light).filter((name) => !['--radius', '--shadow'].includes(name ?? ''));
    assert.ok(colours.length > 10);
    assert.deepEqual(tokens(dark).sort(), colours.sort(), 'dark overrides every colour token');
    assert.doesNotThrow(() => withSystemDarkTokens(css));
  });
});
