import { z } from 'zod';
import { httpOptionFields } from '../http/index.ts';
import { MAX_PATTERN_LENGTH } from '../pattern-evaluator.ts';
import { dropUndefinedKeys } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { compileKeywordRegex } from './match.ts';

/** Options of `http_keyword`: the http options plus exactly one of keyword or regex. */
export const httpKeywordOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      ...httpOptionFields,
      keyword: z
        .string()
        .min(1, 'must not be empty')
        .max(MAX_PATTERN_LENGTH, `at most ${MAX_PATTERN_LENGTH} characters`)
        .optional(),
      regex: z
        .string()
        .min(1, 'must not be empty')
        .max(MAX_PATTERN_LENGTH, `at most ${MAX_PATTERN_LENGTH} characters`)
        .optional(),
      caseInsensitive: z.boolean().default(false),
      invert: z.boolean().default(false),
    })
    .superRefine((options, ctx) => {
      if (options.keyword === undefined && options.regex === undefined)
        ctx.addIssue({ code: 'custom', path: ['keyword'], message: 'give a keyword or a regex' });
      if (options.keyword !== undefined && options.regex !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['regex'],
          message: 'give a keyword or a regex, not both',
        });
      if (options.regex !== undefined) {
        try {
          compileKeywordRegex(options.regex, options.caseInsensitive);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          ctx.addIssue({
            code: 'custom',
            path: ['regex'],
            message: `invalid regular expression: ${reason}`,
          });
        }
      }
      if (options.method === 'HEAD')
        ctx.addIssue({
          code: 'custom',
          path: ['method'],
          message: 'HEAD responses have no body to search',
        });
    }),
);

export type HttpKeywordOptions = z.output<typeof httpKeywordOptionsSchema>;

export const keywordFlags: readonly CheckFlag[] = [
  {
    flags: '--keyword <text>',
    key: 'keyword',
    description: 'text the body must contain',
    kind: 'string',
  },
  {
    flags: '--regex <pattern>',
    key: 'regex',
    description: 'regular expression the body must match (instead of --keyword)',
    kind: 'string',
  },
  {
    flags: '--case-insensitive',
    key: 'caseInsensitive',
    description: 'match the keyword or regex ignoring case',
    kind: 'boolean',
  },
  {
    flags: '--invert',
    key: 'invert',
    description: 'fail when the body contains the keyword or matches the regex',
    kind: 'boolean',
  },
];
