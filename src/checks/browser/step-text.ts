/**
 * The CLI's and the dashboard's way to write steps: one `--step` per step, each either JSON
 * (`{"action":"fill","selector":"#user","value":"alice"}`), a JSON array of such objects
 * (`--step "$(cat steps.json)"`), or `action argument` for the actions that take one argument
 * (`goto /login`, `click #submit`, `expectStatus 200`). Anything else is passed on unchanged
 * for the step schema to reject with its own message.
 */
export function expandStepTexts(value: unknown): unknown {
  if (!Array.isArray(value)) return typeof value === 'string' ? expandStepTexts([value]) : value;
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'string') return [item];
    const parsed = parseStepText(item);
    return Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  });
}

/** What one-argument actions call their argument. */
const SINGLE_ARGUMENT: Readonly<Record<string, string>> = {
  goto: 'url',
  click: 'selector',
  waitFor: 'selector',
  expectElement: 'selector',
  expectText: 'text',
  expectTitle: 'text',
  expectStatus: 'status',
  screenshot: 'name',
  press: 'key',
};

function parseStepText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  const match = /^(\w+)\s+(.+)$/s.exec(trimmed);
  const action = match?.[1];
  const argument = match?.[2];
  const key = action === undefined ? undefined : SINGLE_ARGUMENT[action];
  if (key === undefined || argument === undefined) return text;
  if (key === 'status')
    return { action, status: /^\d+$/.test(argument) ? Number(argument) : argument };
  return { action, [key]: argument };
}
