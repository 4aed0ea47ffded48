import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { parseConfigText } from './document.ts';
import { configFileSchema } from './schema.ts';
import { VALIDATE_SLICE, validateConfigDocument } from './validate.ts';

const noPause = () => Promise.resolve();

/** Issues of a whole-file parse, dotted, as a sorted list (the reference the slices must match). */
function wholeFileIssues(document: unknown): string[] {
  const result = configFileSchema.safeParse(document);
  if (result.success) return [];
  const lines = result.error.issues.map((i) => `${i.path.map(String).join('.')} ${i.message}`);
  return [...new Set(lines)].sort();
}

const monitorEntry = fc.record(
  {
    name: fc.constantFrom('api', 'db', 'api', '', 'web'),
    key: fc.constantFrom('k1', 'k2', ''),
    type: fc.constantFrom('http', 'tcp', 'nope'),
    target: fc.constantFrom('http://127.0.0.1:8080/', '127.0.0.1:5432', 'nowhere'),
    intervalMs: fc.constantFrom('30s', 'soon', 1_000, 5),
    timeoutMs: fc.constantFrom('10s', '60s'),
    tags: fc.constantFrom(['a'], ['a', 'a'], [''], 'x'),
    bogus: fc.constant(1),
  },
  { requiredKeys: ['name', 'type', 'target'] },
);

const documentArb = fc.record(
  {
    version: fc.constantFrom(1, 2),
    monitors: fc.oneof(fc.array(monitorEntry, { maxLength: 6 }), fc.constant('many')),
    alertTargets: fc.constant([
      { name: 'ops', type: 'webhook', settings: { url: 'http://127.0.0.1:9/' } },
    ]),
    extra: fc.constant(true),
  },
  { requiredKeys: ['version'] },
);

describe('validateConfigDocument', () => {
  it('reports what a whole-file parse reports, and the same file when valid', async () => {
    await fc.assert(
      fc.asyncProperty(documentArb, async (document) => {
        const result = await validateConfigDocument(document, noPause);
        const expected = wholeFileIssues(document);
        if (result.ok) {
          assert.deepEqual(expected, []);
          assert.deepEqual(result.config.file, configFileSchema.parse(document));
        } else {
          const got = result.issues.map((i) => `${i.path} ${i.message}`).sort();
          // Every issue the whole-file parse finds; besides them, only duplicate keys, which
          // zod leaves unchecked once an entry has a wrong type or value (they are real too).
          assert.notDeepEqual(got, []);
          assert.deepEqual(
            got.filter((line) => !/ duplicate (key|name|rule) /.test(line)),
            expected.filter((line) => !/ duplicate (key|name|rule) /.test(line)),
          );
          for (const line of expected) assert.ok(got.includes(line), line);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pauses between slices of monitor entries and prefixes paths', async () => {
    const count = VALIDATE_SLICE * 2 + 1;
    const monitors = Array.from({ length: count }, (_, i) => ({
      name: `m${i}`,
      type: 'tcp',
      target: i === count - 1 ? 'nowhere' : `127.0.0.1:${1_000 + i}`,
    }));
    let pauses = 0;
    const result = await validateConfigDocument(
      { version: 1, monitors },
      async () => {
        pauses += 1;
      },
      'document',
    );
    assert.equal(pauses, 2);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.issues.map((i) => i.path),
      [`document.monitors.${count - 1}.target`],
    );
  });
});

/** Plain YAML-able values: what a config file holds. */
const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('30s', '${HOME_DIR}', 'a: b', '- x', '#x', 'true', '1e3', '0x1F', '~'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('parseConfigText (read without positions)', () => {
  it('reads every file as the positioned parser does', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), yamlValue, { maxKeys: 5 }),
        fc.constantFrom('block', 'flow', 'json'),
        (value, style) => {
          const text =
            style === 'json'
              ? JSON.stringify(value)
              : stringify(value, style === 'flow' ? { collectionStyle: 'flow' } : {});
          const { parsed, issues } = parseConfigText('f.yaml', text, (name) =>
            name === 'HOME_DIR' ? '/home/x' : undefined,
          );
          assert.deepEqual(issues, []);
          const positioned = JSON.stringify(parse(text)).replaceAll('${HOME_DIR}', '/home/x');
          assert.deepEqual(parsed.value, JSON.parse(positioned));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('places a problem found later by line, working positions out only then', () => {
    const text = 'version: 1\nmonitors:\n  - name: a\n    target: x\n';
    const { parsed } = parseConfigText('f.yaml', text, () => undefined);
    assert.deepEqual(parsed.locate(['monitors', 0, 'target'], 'bad'), {
      file: 'f.yaml',
      line: 4,
      col: 13,
      path: 'monitors.0.target',
      message: 'bad',
    });
  });
});
