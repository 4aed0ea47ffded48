import { z } from 'zod';
import { httpOptionFields } from '../http/index.ts';
import { dropUndefinedKeys } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { parseJsonAssertion } from './assertion.ts';

/** Most assertions one monitor may carry; each is evaluated on every run. */
export const MAX_JSON_ASSERTIONS = 50;

/** One assertion or a list; each must parse. Stored as the trimmed text the user wrote. */
const assertionsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (typeof value === 'string' ? [value] : value).map((text) => text.trim()))
  .pipe(
    z
      .array(z.string())
      .min(1, 'give at least one assertion, e.g. $.status == "ok"')
      .max(MAX_JSON_ASSERTIONS)
      .superRefine((texts, ctx) => {
        texts.forEach((text, index) => {
          const parsed = parseJsonAssertion(text);
          if (!parsed.ok)
            ctx.addIssue({
              code: 'custom',
              path: [index],
              message: `assertion ${index + 1} (${text}): ${parsed.reason}`,
            });
        });
      }),
  );

/** Options of `http_json`: the http options plus JSONPath assertions on the body. */
export const httpJsonOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({ ...httpOptionFields, assertions: assertionsSchema })
    .superRefine((options, ctx) => {
      if (options.method === 'HEAD')
        ctx.addIssue({
          code: 'custom',
          path: ['method'],
          message: 'HEAD responses have no JSON body to check',
        });
    }),
);

export type HttpJsonOptions = z.output<typeof httpJsonOptionsSchema>;

export const jsonFlags: readonly CheckFlag[] = [
  {
    flags: '--assert <expression>',
    key: 'assertions',
    description:
      "assertion on the JSON body, repeatable: '$.status == \"ok\"', '$.db.latency < 200'",
    kind: 'list',
  },
];
