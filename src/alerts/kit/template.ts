import { Liquid, LiquidError, type Template } from 'liquidjs';
import { z } from 'zod';
import { validationError, type FieldIssue } from '../../lib/errors.ts';
import type { OutgoingAlert } from '../types.ts';
import { truncate } from './formats.ts';
import type { AlertMessage } from './message.ts';
import { templateVariables } from './template-variables.ts';

// Message templates (LiquidJS): a target may replace the default title and text of its alerts.
// Templates are written by users and rendered inside the daemon, so the engine runs with its
// DoS limits set, sees only plain data, and cannot read files.

/** A target's optional message template, as stored with the target. */
export interface MessageTemplate {
  title?: string | undefined;
  body?: string | undefined;
}

/** Bounds of a template, stated once for validation, the engine and the docs page. */
export const TEMPLATE_LIMITS = {
  /** Characters of a title template, and of a rendered title. */
  titleChars: 500,
  /** Characters of a body template, and of a rendered body. */
  bodyChars: 20_000,
  /** Milliseconds one render may take. */
  renderMs: 250,
  /** Objects, array items and characters one render may allocate (LiquidJS counts them). */
  memory: 1_000_000,
} as const;

/** Tags that read other templates; alert templates are self-contained and there are no files. */
const FILE_TAGS = ['include', 'render', 'layout'] as const;

function createEngine(): Liquid {
  const engine = new Liquid({
    // An unknown filter is a typo to report when the template is saved, not text to drop.
    strictFilters: true,
    // A variable missing for one kind of alert (`monitor` on a node alert) renders empty.
    strictVariables: false,
    // Templates reach only the listed variables, never prototypes (`constructor`, `__proto__`).
    ownPropertyOnly: true,
    parseLimit: TEMPLATE_LIMITS.bodyChars,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
    // No file system: an empty in-memory template map, and file tags refused at parse below.
    templates: {},
    relativeReference: false,
    // The `date` filter renders UTC, whatever the node's local zone.
    timezoneOffset: 0,
  });
  for (const tag of FILE_TAGS) {
    engine.registerTag(tag, {
      parse() {
        throw new Error(`the ${tag} tag is not available in alert templates`);
      },
      render() {
        return '';
      },
    });
  }
  return engine;
}

// Configured once and never changed: parse and render keep no state between calls.
const engine = createEngine();

/** One part of a template, compiled; null when the target does not template that part. */
export interface CompiledTemplate {
  title: Template[] | null;
  body: Template[] | null;
}

type Compiled = { templates: Template[]; problem?: undefined } | { problem: string };

/** Compiles one template source of at most `maxChars` characters, or says what is wrong with it. */
export function compileTemplateSource(source: string, maxChars: number): Compiled {
  if (source.length > maxChars) return { problem: `must be at most ${maxChars} characters` };
  try {
    return { templates: engine.parse(source) };
  } catch (error) {
    return { problem: templateErrorText(error) };
  }
}

/**
 * Every problem of a template (syntax errors with line and column, unknown filters, sizes),
 * each naming its part: `template.title`, `template.body` under `path`.
 */
export function templateIssues(template: MessageTemplate, path = 'template'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [part, compiled] of compileParts(template)) {
    if (compiled?.problem !== undefined) {
      issues.push({ path: `${path}.${part}`, message: compiled.problem });
    }
  }
  return issues;
}

/**
 * A target's `template` field for settings and input schemas: every problem is reported at
 * `template.title` / `template.body` under the caller's path when the input is parsed.
 */
export const messageTemplateSchema = z
  .strictObject({
    title: z
      .string()
      .optional()
      .describe('Liquid template for the title (docs/alerts/templates.md)'),
    body: z.string().optional().describe('Liquid template for the text (docs/alerts/templates.md)'),
  })
  .superRefine((template, ctx) => {
    for (const [part, compiled] of compileParts(template)) {
      if (compiled?.problem !== undefined) {
        ctx.addIssue({ code: 'custom', path: [part], message: compiled.problem });
      }
    }
  });

/** Compiles a valid template; a validation error lists every problem of an invalid one. */
export function parseTemplate(template: MessageTemplate, path = 'template'): CompiledTemplate {
  const compiled: CompiledTemplate = { title: null, body: null };
  const issues: FieldIssue[] = [];
  for (const [part, result] of compileParts(template)) {
    if (result === undefined) continue;
    if (result.problem !== undefined)
      issues.push({ path: `${path}.${part}`, message: result.problem });
    else compiled[part] = result.templates;
  }
  if (issues.length > 0) throw validationError(issues);
  return compiled;
}

function compileParts(template: MessageTemplate): [keyof CompiledTemplate, Compiled | undefined][] {
  return [
    ['title', compileOptional(template.title, TEMPLATE_LIMITS.titleChars)],
    ['body', compileOptional(template.body, TEMPLATE_LIMITS.bodyChars)],
  ];
}

function compileOptional(source: string | undefined, maxChars: number): Compiled | undefined {
  return source === undefined ? undefined : compileTemplateSource(source, maxChars);
}

/** What rendering a template came to: its text, or why it failed (a limit, a render error). */
export type RenderResult = { ok: true; text: string } | { ok: false; reason: string };

/** Renders compiled templates with an alert's variables; never throws. */
export async function renderTemplate(
  templates: Template[],
  alert: OutgoingAlert,
): Promise<RenderResult> {
  try {
    const text: unknown = await engine.render(templates, templateVariables(alert));
    return { ok: true, text: String(text) };
  } catch (error) {
    return { ok: false, reason: templateErrorText(error) };
  }
}

/** A message after its target's template: `failure` says why the default was kept instead. */
export interface TemplatedMessage {
  message: AlertMessage;
  failure: string | null;
}

/**
 * Applies a target's template to a rendered message. A title template replaces the title; a
 * body template replaces the text and leaves out facts and evidence (`custom`). When a part
 * fails to render (a limit hit, an error, or nothing but whitespace) the alert is not lost: the
 * default message goes out with a `template failed: <reason>` line, and `failure` says so.
 */
export async function applyTemplate(
  message: AlertMessage,
  compiled: CompiledTemplate,
  alert: OutgoingAlert,
): Promise<TemplatedMessage> {
  const withDefault: OutgoingAlert = { ...alert, message };
  const title = await renderPart(compiled.title, withDefault, 'title', TEMPLATE_LIMITS.titleChars);
  const body = await renderPart(compiled.body, withDefault, 'body', TEMPLATE_LIMITS.bodyChars);
  const failure = [title, body].find((part) => part?.ok === false);
  if (failure !== undefined && !failure.ok) {
    return {
      message: { ...message, text: `${message.text}\ntemplate failed: ${failure.reason}` },
      failure: failure.reason,
    };
  }
  let result = message;
  if (title?.ok === true) result = { ...result, title: title.text };
  if (body?.ok === true)
    result = { ...result, text: body.text, custom: true, facts: [], evidence: [] };
  return { message: result, failure: null };
}

async function renderPart(
  templates: Template[] | null,
  alert: OutgoingAlert,
  part: 'title' | 'body',
  maxChars: number,
): Promise<RenderResult | undefined> {
  if (templates === null) return undefined;
  const rendered = await renderTemplate(templates, alert);
  if (!rendered.ok) return { ok: false, reason: `${part}: ${rendered.reason}` };
  // A title is one line: the line breaks that tags leave behind are folded into spaces.
  const text =
    part === 'title' ? rendered.text.replace(/\s*\n\s*/g, ' ').trim() : rendered.text.trim();
  if (text === '') return { ok: false, reason: `${part}: rendered nothing` };
  return { ok: true, text: truncate(text, maxChars) };
}

/**
 * A LiquidJS error as `line 3, column 5: <what>`. The engine appends `, line:3, col:5` to its
 * messages; reworded here so every Crosscheck error reads alike.
 */
function templateErrorText(error: unknown): string {
  const text = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const position = /, line:(\d+), col:(\d+)$/.exec(text);
  if (position === null || !(error instanceof LiquidError)) return text;
  return `line ${position[1]}, column ${position[2]}: ${text.slice(0, position.index)}`;
}

/**
 * An outgoing alert with its target's template applied — the one call a sender needs. A stored
 * template this version cannot parse is a failure like a render error: the default goes out.
 */
export async function templatedAlert(
  alert: OutgoingAlert,
  template: MessageTemplate | null,
): Promise<{ alert: OutgoingAlert; failure: string | null }> {
  if (template === null) return { alert, failure: null };
  let compiled: CompiledTemplate;
  try {
    compiled = parseTemplate(template);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const text = `${alert.message.text}\ntemplate failed: ${reason}`;
    return { alert: { ...alert, message: { ...alert.message, text } }, failure: reason };
  }
  const { message, failure } = await applyTemplate(alert.message, compiled, alert);
  return { alert: { ...alert, message }, failure };
}
