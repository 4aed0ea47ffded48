import { channelSettingsJsonSchema, objectBranches } from './kit/settings-schema.ts';
import { TEMPLATE_VARIABLES } from './kit/template-variables.ts';
import { exampleSettings, settingRows, type SettingRow } from './reference-settings.ts';
import { renderTemplatesPage, type TemplatesPageInputs } from './reference-templates.ts';
import type { ChannelCategory, ChannelDefinition } from './types.ts';

// The alert channel reference (docs/alerts/), rendered from the registry: one page per channel
// (settings from its JSON Schema, an example, then the folder's guide.md), an index by
// category, and the templates page. A test fails when the committed files differ.

/** One generated file, named relative to docs/alerts/. */
export interface AlertDocFile {
  name: string;
  text: string;
}

/** What the pages need besides the registry (read from the repository by reference-files.ts). */
export interface AlertDocInputs {
  /** Each channel's `guide.md`, by type, for channels that have one. */
  guides: ReadonlyMap<string, string>;
  templates: TemplatesPageInputs;
}

/** Category headings, in the order the index lists them; a new category must be named here. */
const CATEGORY_TITLES: Record<ChannelCategory, string> = {
  webhook: 'Webhooks',
  chat: 'Chat',
  email: 'Email',
  sms: 'SMS and messaging',
  push: 'Push notifications',
  incident: 'Incident management and on-call',
  issue: 'Issue trackers',
  automation: 'Automation',
};

/** Every file of docs/alerts/ (pure): README.md, templates.md and `<type>.md` per channel. */
export function renderAlertDocs(
  channels: readonly ChannelDefinition<unknown>[],
  inputs: AlertDocInputs,
): AlertDocFile[] {
  return [
    { name: 'README.md', text: renderAlertIndex(channels) },
    { name: 'templates.md', text: renderTemplatesPage(TEMPLATE_VARIABLES, inputs.templates) },
    ...channels.map((channel) => ({
      name: `${channel.type}.md`,
      text: renderChannelPage(channel, inputs.guides.get(channel.type)),
    })),
  ];
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
}

function generatedNote(source: string): string {
  return `<!-- Generated from ${source} by \`npm run docs\`; do not edit by hand. -->`;
}

/** docs/alerts/README.md: every channel, grouped by category. */
export function renderAlertIndex(channels: readonly ChannelDefinition<unknown>[]): string {
  const lines = [
    '# Alert channels',
    '',
    generatedNote('src/alerts/registry.ts'),
    '',
    `Crosscheck sends alerts through ${channels.length} channel${channels.length === 1 ? '' : 's'}.`,
    "Each page lists the channel's settings (from its settings schema), an example and the",
    'provider documentation it follows. Secret settings are never shown back: they are masked as',
    '`***` in every answer, log and output. Any target can carry a message template: see',
    '[templates](templates.md).',
    '',
  ];
  for (const [category, title] of Object.entries(CATEGORY_TITLES)) {
    const members = channels.filter((channel) => channel.category === category);
    if (members.length === 0) continue;
    lines.push(`## ${title}`, '', '| channel | type | what it does |', '| --- | --- | --- |');
    for (const channel of members) {
      lines.push(
        `| [${cell(channel.title)}](${channel.type}.md) | \`${channel.type}\` | ${cell(channel.description)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** docs/alerts/<type>.md: the channel's facts, settings table, example, then its guide. */
export function renderChannelPage(
  channel: ChannelDefinition<unknown>,
  guide: string | undefined,
): string {
  const schema = channelSettingsJsonSchema(channel);
  const branches = objectBranches(schema);
  const lines = [
    `# ${channel.title}`,
    '',
    generatedNote(`src/alerts/channels/${channel.type}/`),
    '',
    `${channel.description}.`.replace(/\.\.$/, '.'),
    '',
    `- Type: \`${channel.type}\``,
    `- Category: ${CATEGORY_TITLES[channel.category]}`,
    // Plain text on purpose: docs link only inside the repository.
    `- Provider documentation: \`${channel.docsUrl}\``,
  ];
  if (channel.adminOnly === true) lines.push('- Only admins can create targets of this channel.');
  if (channel.retry?.maxAttempts !== undefined) {
    lines.push(`- Attempts before a delivery fails: ${channel.retry.maxAttempts}`);
  }
  lines.push('', '## Settings', '');
  if (branches.length > 1) {
    lines.push('The settings take one of these forms.', '');
    branches.forEach((branch, index) => {
      lines.push(`### Form ${index + 1}`, '', ...settingsTable(settingRows(branch)), '');
    });
  } else {
    lines.push(...settingsTable(branches[0] === undefined ? [] : settingRows(branches[0])), '');
  }
  lines.push(
    'Secret settings are write-only: shown as `***` wherever settings are displayed. Every target',
    'may also carry a message [template](templates.md).',
    '',
    '### Example',
    '',
    '```json',
    JSON.stringify(branches[0] === undefined ? {} : exampleSettings(branches[0]), null, 2),
    '```',
    '',
  );
  if (guide !== undefined) lines.push(guide.trim(), '');
  return lines.join('\n');
}

function settingsTable(rows: readonly SettingRow[]): string[] {
  if (rows.length === 0) return ['This channel has no settings.'];
  return [
    '| key | type | required | default | secret | description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.key}\` | ${cell(row.type)} | ${row.required ? 'yes' : 'no'} | ${row.default === '' ? '' : `\`${cell(row.default)}\``} | ${row.secret ? 'yes' : ''} | ${cell(row.description)} |`,
    ),
  ];
}
